import { AuthService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { SecurityService } from '../service/SecurityService';

/**
 * What an agent may ask the security plugin for the person it acts for. Requesting or deciding an approval
 * needs the person's own confirmation in the portal, so those are not offered as actions.
 */
export function registerSecurityActions(
  actionsRegistry: ActionsRegistryService,
  auth: AuthService,
  security: SecurityService,
) {
  actionsRegistry.register({
    name: 'get-my-access',
    title: 'What may I do?',
    description:
      "The caller's role, trusted groups, and for every sensitive action (cost.read, deployment.sync, scaffolder.create, ai.use, n8n.run, feishu.migrate, ...) whether it is allowed, why, and whether it needs an approval and from whom.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          userRef: z.string(),
          role: z.string(),
          groups: z.array(z.string()),
          actions: z.record(
            z.object({
              allowed: z.boolean(),
              reason: z.string().optional(),
              requiresApproval: z.boolean().optional(),
              approvers: z.array(z.string()).optional(),
            }),
          ),
        }),
    },
    action: async ({ credentials }) => {
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError('get-my-access acts for a signed-in user');
      }
      return { output: await security.userAccess(credentials) };
    },
  });
}
