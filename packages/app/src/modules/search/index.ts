export { searchModule } from './searchModule';
export { PortalSearchModal } from './PortalSearchModal';
