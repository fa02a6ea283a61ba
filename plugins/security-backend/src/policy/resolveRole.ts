import { Role } from '@internal/plugin-security-common';
import { SecurityConfig } from '../config/readSecurityConfig';

const PRECEDENCE: Role[] = [
  // Contractor boundaries win over any employee group a contractor is also in.
  'contractor-developer',
  'contractor-viewer',
  'admin',
  'developer',
  'viewer',
];

/**
 * The role of a user from their groups (direct and inherited), the group→role mapping and the
 * per-user overrides of the config. Without any mapped group a user gets the default role.
 */
export function resolveRole(
  userRef: string,
  groupRefs: string[],
  config: Pick<SecurityConfig, 'defaultRole' | 'groupRoles' | 'userRoles'>,
): Role {
  const user = userRef.toLocaleLowerCase('en-US');
  const explicit = config.userRoles.find(u => u.user === user);
  if (explicit) {
    return explicit.role;
  }
  const groups = new Set(groupRefs.map(g => g.toLocaleLowerCase('en-US')));
  const roles = config.groupRoles
    .filter(m => groups.has(m.group))
    .map(m => m.role);
  return PRECEDENCE.find(role => roles.includes(role)) ?? config.defaultRole;
}
