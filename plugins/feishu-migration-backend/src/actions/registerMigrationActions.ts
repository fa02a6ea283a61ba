import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Caller, MigrationService } from '../service/MigrationService';

/**
 * What an agent may ask about Feishu migrations, through the same authorizing service as the routes.
 * Starting, retrying or rolling back a migration changes a repository and needs the person's
 * confirmation in the portal, so those are not offered as actions.
 */
export function registerMigrationActions(
  actionsRegistry: ActionsRegistryService,
  auth: AuthService,
  migrations: MigrationService,
) {
  /** Actions act for a signed-in person only, with exactly what that person may see. */
  const callerOf = (credentials: BackstageCredentials): Caller => {
    if (!auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError(
        'Feishu migration actions act for a signed-in user',
      );
    }
    return { credentials, userRef: credentials.principal.userEntityRef };
  };

  actionsRegistry.register({
    name: 'list-feishu-migrations',
    title: 'List Feishu migrations',
    description:
      'Feishu → TechDocs migrations, newest first, of the services the caller may read; optionally of one service.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .max(512)
            .optional()
            .describe('A service, e.g. component:default/invoice-service'),
          limit: z.number().int().min(1).max(100).default(20),
        }),
      output: z =>
        z.object({
          migrations: z.array(
            z.object({
              id: z.string(),
              entityRef: z.string(),
              status: z.string(),
              source: z.string(),
              documentsTotal: z.number(),
              documentsConverted: z.number(),
              documentsFailed: z.number(),
              pullRequestUrl: z.string().optional(),
              createdBy: z.string(),
              createdAt: z.string(),
            }),
          ),
          totalItems: z.number(),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRefs = input.entityRef
        ? [
            stringifyEntityRef(
              parseEntityRef(input.entityRef, { defaultKind: 'component' }),
            ),
          ]
        : undefined;
      const page = await migrations.listMigrations(callerOf(credentials), {
        entityRefs,
        limit: input.limit,
        offset: 0,
      });
      return {
        output: {
          migrations: page.items.map(job => ({
            id: job.id,
            entityRef: job.entityRef,
            status: job.status,
            source: job.spaceName,
            documentsTotal: job.documentsTotal,
            documentsConverted: job.documentsConverted,
            documentsFailed: job.documentsFailed,
            pullRequestUrl: job.pullRequestUrl,
            createdBy: job.createdBy,
            createdAt: job.createdAt,
          })),
          totalItems: page.totalItems,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-feishu-migration-report',
    title: 'Feishu migration validation report',
    description:
      'Whether every page of a migration converted and validated, which pages have problems and how the mkdocs build went.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ id: z.string().uuid() }),
      output: z =>
        z.object({
          ok: z.boolean(),
          pagesChecked: z.number(),
          pagesWithProblems: z.number(),
          mkdocsBuild: z.string().optional(),
          problems: z.array(
            z.object({
              title: z.string(),
              path: z.string(),
              problems: z.array(z.string()),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const report = await migrations.validateMigration(
        callerOf(credentials),
        input.id,
      );
      return {
        output: {
          ok: report.ok,
          pagesChecked: report.pagesChecked,
          pagesWithProblems: report.pagesWithProblems,
          mkdocsBuild: report.mkdocsBuild?.status,
          problems: report.documents
            .filter(d => d.status !== 'converted' || !d.validation?.ok)
            .map(d => ({
              title: d.title,
              path: d.path,
              problems: [
                ...(d.error ? [d.error] : []),
                ...(d.validation?.problems ?? []),
              ],
            })),
        },
      };
    },
  });
}
