import { IndexableDocument } from '@backstage/plugin-search-common';

/** The fields results can be narrowed by, each with how many matching results have each value. */
export const FACET_FIELDS = [
  'kind',
  'type',
  'owner',
  'lifecycle',
  'tags',
] as const;
export type FacetField = (typeof FACET_FIELDS)[number] | 'resultType';
export type FacetCounts = Record<FacetField, Record<string, number>>;

/** Counts keyed by values from documents: no prototype, so a value like "constructor" is just a value. */
const counts = () => Object.create(null) as Record<string, number>;

export const emptyFacets = (): FacetCounts => ({
  resultType: counts(),
  kind: counts(),
  type: counts(),
  owner: counts(),
  lifecycle: counts(),
  tags: counts(),
});

/** Counts each facet value over the documents (a tag per tag; an empty value is not a facet). */
export function facetCountsOf(
  matches: Array<{ type: string; document: IndexableDocument }>,
): FacetCounts {
  const facets = emptyFacets();
  const add = (field: FacetField, value: unknown) => {
    if (typeof value !== 'string' || !value) return;
    facets[field][value] = (facets[field][value] ?? 0) + 1;
  };
  for (const { type, document } of matches) {
    add('resultType', type);
    const fields = document as unknown as Record<string, unknown>;
    for (const field of FACET_FIELDS) {
      const value = fields[field];
      if (Array.isArray(value)) new Set(value).forEach(v => add(field, v));
      else add(field, value);
    }
  }
  return facets;
}

/** Whether a document is one the caller may read: no resource, or a resource among theirs. */
export function isReadable(
  document: IndexableDocument,
  readableRefs: ReadonlySet<string>,
) {
  const ref = document.authorization?.resourceRef;
  return !ref || readableRefs.has(ref);
}
