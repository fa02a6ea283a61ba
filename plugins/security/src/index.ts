export { securityPlugin as default } from './plugin';
export { securityApiRef, SecurityClient } from './api/SecurityClient';
export type { SecurityApi, MyAccess, AuditFilters } from './api/SecurityClient';
