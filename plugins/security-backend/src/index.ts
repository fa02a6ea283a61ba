export { securityPlugin as default } from './plugin';
export { securityPermissionPolicyModule } from './module';
export { securityCatalogRulesModule } from './catalogModule';
export { filterSensitiveContent } from '@internal/plugin-security-node';
export { SecurityPermissionPolicy } from './policy/SecurityPermissionPolicy';
export { RoleResolver } from './service/RoleResolver';
export {
  readSecurityConfig,
  SecurityConfigError,
} from './config/readSecurityConfig';
export { securityKubernetesBoundariesModule } from './kubernetesModule';
export {
  decideAccess,
  NAMED_PERMISSIONS,
  permissionQueryOf,
} from './policy/decideAccess';
