import { AuthService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { AssistantService } from '../service/AssistantService';

/**
 * What an agent may ask of the assistant's index for the person it acts for: the passages of the catalog,
 * the docs, runbooks, incident reviews and helpful answers that bear on a question, only those the
 * person may read, each with where it comes from; as a question is (ai.use, the person's rate, redacted,
 * audited).
 */
export function registerAssistantActions(
  actionsRegistry: ActionsRegistryService,
  auth: AuthService,
  assistant: AssistantService,
) {
  actionsRegistry.register({
    name: 'retrieve-portal-knowledge',
    title: 'Passages of the portal that answer a question',
    description:
      'Searches the catalog (services, APIs with their operations, teams), TechDocs (runbooks and incident reviews included) and answers people marked helpful, and returns the best passages with their title and portal link. Only what the person may read is searched.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          question: z
            .string()
            .min(1)
            .max(2000)
            .describe('The question, in words'),
          limit: z.number().int().min(1).max(20).default(5),
        }),
      output: z =>
        z.object({
          passages: z.array(
            z.object({
              title: z.string(),
              url: z.string(),
              kind: z.string(),
              text: z.string(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          'retrieve-portal-knowledge acts for a signed-in user',
        );
      }
      const passages = await assistant.retrieveForAgent(
        { credentials, userRef: credentials.principal.userEntityRef },
        input.question,
        input.limit,
      );
      return { output: { passages } };
    },
  });
}
