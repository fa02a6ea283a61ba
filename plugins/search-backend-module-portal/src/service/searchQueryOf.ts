import { InputError } from '@backstage/errors';
import { SearchQuery } from '@backstage/plugin-search-common';

export const MAX_TERM_LENGTH = 100;
const MAX_TYPES = 10;
const MAX_FILTERS = 10;
const MAX_FILTER_VALUES = 20;
const MAX_VALUE_LENGTH = 200;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * term, types and filters of a query string as the search page sends them (types[0]=techdocs,
 * filters[kind]=Component), checked and bounded; a 400 that says what is wrong otherwise.
 */
export function searchQueryOf(
  query: Record<string, unknown>,
): Pick<SearchQuery, 'term' | 'types' | 'filters'> {
  const term = query.term ?? '';
  if (typeof term !== 'string') {
    throw new InputError('term must be text');
  }
  if (term.length > MAX_TERM_LENGTH) {
    throw new InputError(
      `The search term is ${term.length} characters; at most ${MAX_TERM_LENGTH} are searched`,
    );
  }
  const types = asList(
    typeof query.types === 'object' && query.types !== null
      ? Object.values(query.types)
      : query.types,
  );
  if (
    types.length > MAX_TYPES ||
    types.some(t => typeof t !== 'string' || t.length > 64)
  ) {
    throw new InputError(
      `types are at most ${MAX_TYPES} result types such as software-catalog or techdocs`,
    );
  }
  const filters: Record<string, string | string[]> = {};
  const given = query.filters ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new InputError('filters must be given as filters[field]=value');
  }
  const entries = Object.entries(given as Record<string, unknown>);
  if (entries.length > MAX_FILTERS) {
    throw new InputError(`At most ${MAX_FILTERS} filters are applied at once`);
  }
  for (const [field, value] of entries) {
    const values = asList(value);
    if (
      !FIELD_NAME.test(field) ||
      values.length === 0 ||
      values.length > MAX_FILTER_VALUES ||
      values.some(v => typeof v !== 'string' || v.length > MAX_VALUE_LENGTH)
    ) {
      throw new InputError(
        `The filter "${field.slice(
          0,
          64,
        )}" is not a field name with 1 to ${MAX_FILTER_VALUES} text values of at most ${MAX_VALUE_LENGTH} characters`,
      );
    }
    const texts = values as string[];
    filters[field] = texts.length === 1 ? texts[0] : texts;
  }
  return {
    term,
    ...(types.length ? { types: types as string[] } : {}),
    ...(entries.length ? { filters } : {}),
  };
}
