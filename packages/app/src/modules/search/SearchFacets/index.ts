export { SearchFacets } from './SearchFacets';
