export { PortalSearchModal } from './PortalSearchModal';
