import { describeMigrations } from '@internal/test-utils';
import { MIGRATIONS } from './migrations';

describeMigrations('security', MIGRATIONS, [
  'security_audit_events',
  'security_approvals',
  'security_approval_approvers',
  'security_access_grants',
]);
