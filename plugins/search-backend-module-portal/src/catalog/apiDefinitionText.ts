import { parse } from 'yaml';

/** An API's definition adds at most this much text to its search document. */
export const MAX_DEFINITION_TEXT = 20_000;

const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'patch',
  'head',
  'options',
];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (...values: unknown[]) =>
  values.filter(v => typeof v === 'string' && v.trim()).join(' ');

/** OpenAPI and AsyncAPI: each operation (method, path, summary, id) and each schema with its properties. */
function specText(spec: Json): string[] {
  const lines: string[] = [];
  const info = isObject(spec.info) ? spec.info : {};
  lines.push(text(info.title, info.description));
  const paths = isObject(spec.paths) ? spec.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      lines.push(
        text(
          `${method.toUpperCase()} ${path}`,
          operation.summary,
          operation.operationId,
          operation.description,
        ),
      );
    }
  }
  const channels = isObject(spec.channels) ? spec.channels : {};
  for (const [channel, item] of Object.entries(channels)) {
    lines.push(text(channel, isObject(item) ? item.description : undefined));
  }
  const components = isObject(spec.components) ? spec.components : {};
  // OpenAPI 3 keeps schemas under components, Swagger 2 under definitions.
  const schemas = [components.schemas, spec.definitions].find(isObject) ?? {};
  for (const [name, schema] of Object.entries(schemas)) {
    const properties =
      isObject(schema) && isObject(schema.properties)
        ? Object.keys(schema.properties)
        : [];
    lines.push(
      text(
        name,
        isObject(schema) ? schema.description : undefined,
        properties.join(' '),
      ),
    );
  }
  return lines;
}

/** GraphQL: the type, query and field names, without the punctuation. */
function graphqlText(definition: string): string[] {
  return [definition.replace(/[^\p{L}\p{N}_\s]+/gu, ' ').replace(/\s+/g, ' ')];
}

/**
 * The words of an API definition people search by (operations, paths, schemas, fields), as plain text of
 * bounded size. A definition that does not parse adds its raw text, cut to the bound.
 */
export function apiDefinitionText(
  apiType: string,
  definition: unknown,
): string {
  if (typeof definition !== 'string' || !definition.trim()) return '';
  let lines: string[];
  if (apiType === 'graphql') {
    lines = graphqlText(definition.slice(0, MAX_DEFINITION_TEXT));
  } else {
    let spec: unknown;
    try {
      spec = parse(definition.slice(0, 1_000_000), { maxAliasCount: 100 });
    } catch {
      spec = undefined;
    }
    lines = isObject(spec) ? specText(spec) : [definition];
  }
  return lines.filter(Boolean).join('\n').slice(0, MAX_DEFINITION_TEXT);
}
