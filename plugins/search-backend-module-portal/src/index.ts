/**
 * The portal's search: engine, ranking, facets, suggestions and freshness.
 *
 * @packageDocumentation
 */
export { searchModulePortal as default } from './module';
export { apiDefinitionText } from './catalog/apiDefinitionText';
