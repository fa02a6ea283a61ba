export { PortalSearchPage } from './PortalSearchPage';
