export { SearchUrlState } from './SearchUrlState';
