import fs from 'node:fs/promises';
import {
  AuthService,
  BackstageCredentials,
  resolveSafeChildPath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  toError,
} from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { parseAllDocuments } from 'yaml';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { SecurityAuditService } from '@internal/plugin-security-node';
import {
  entitiesOfNewRepository,
  MAX_CATALOG_FILE_BYTES,
  parseRepoContentsUrl,
  RepositoryLocation,
} from './newRepositoryEntities';

export interface RegisterNewRepositoryOptions {
  catalog: CatalogService;
  urlReader: UrlReaderService;
  auth: AuthService;
  integrations: ScmIntegrationRegistry;
  audit: SecurityAuditService;
  /** GitHub organizations whose repositories may be registered. */
  organizations: string[];
}

function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as { userEntityRef?: string };
  return principal.userEntityRef ?? 'unknown';
}

/**
 * Registers the catalog-info.yaml of the repository the template just published. Only admins may register
 * locations in this portal, so this action registers with the scaffolder's own credentials, and therefore
 * only what a golden path creates: a repository of the golden paths' organizations whose catalog file
 * defines software that lives in it and does not exist yet. Every registration and refusal is audited.
 */
export function createRegisterNewRepositoryAction(
  options: RegisterNewRepositoryOptions,
) {
  const { catalog, urlReader, auth, integrations, audit, organizations } =
    options;
  return createTemplateAction({
    id: 'golden-paths:catalog:register',
    description:
      "Registers the catalog-info.yaml of the repository a golden path just published (publish:github's repoContentsUrl).",
    supportsDryRun: true,
    schema: {
      input: {
        repoContentsUrl: z =>
          z
            .string()
            .max(2000)
            .describe("publish:github's repoContentsUrl output"),
        catalogInfoPath: z =>
          z
            .string()
            .max(200)
            .regex(/^\/?[\w.-]+(\/[\w.-]+)*\.ya?ml$/)
            .default('/catalog-info.yaml')
            .describe('Path of the catalog file in the repository'),
      },
      output: {
        entityRef: z => z.string().describe('The registered component'),
        catalogInfoUrl: z => z.string().describe('The registered location'),
      },
    },
    async handler(ctx) {
      const path = (ctx.input.catalogInfoPath ?? '/catalog-info.yaml').replace(
        /^\//,
        '',
      );
      if (ctx.isDryRun) {
        // publish:github does not run in a dry run, so its repoContentsUrl is a placeholder: check the
        // catalog file the template wrote against the repository it names.
        const text = await fs.readFile(
          resolveSafeChildPath(ctx.workspacePath, path),
          'utf8',
        );
        const named =
          parseAllDocuments(text)[0]?.toJS()?.metadata?.annotations?.[
            'github.com/project-slug'
          ];
        const [owner, repo] = String(named ?? '').split('/');
        const entities = entitiesOfNewRepository(text, {
          host: 'github.com',
          owner,
          repo,
          branch: 'main',
        });
        const entityRef = stringifyEntityRef(
          entities.find(e => e.kind === 'Component')!,
        );
        ctx.logger.info(`Would register ${path} of ${named} (${entityRef})`);
        ctx.output('entityRef', entityRef);
        ctx.output(
          'catalogInfoUrl',
          `https://github.com/${named}/blob/main/${path}`,
        );
        return;
      }

      const actorRef = actorOf(await ctx.getInitiatorCredentials());
      const record = (
        outcome: 'succeeded' | 'denied' | 'failed',
        details: Record<string, unknown>,
        entityRef?: string,
      ) =>
        audit.record({
          actorRef,
          action: 'scaffolder.register',
          entityRef,
          outcome,
          details: {
            repoContentsUrl: ctx.input.repoContentsUrl,
            catalogInfoPath: path,
            ...details,
          },
        });
      /** Refuses (audited) what a golden path would never ask for. */
      const refuse = async (error: InputError | NotAllowedError) => {
        await record('denied', { reason: error.message });
        return error;
      };

      let location: RepositoryLocation;
      try {
        location = parseRepoContentsUrl(ctx.input.repoContentsUrl);
      } catch (error) {
        throw await refuse(error as InputError);
      }
      if (
        path.split('/').some(segment => segment === '.' || segment === '..')
      ) {
        throw await refuse(
          new InputError(
            `catalogInfoPath must stay inside the repository, got ${path}`,
          ),
        );
      }
      if (!integrations.github.byHost(location.host)) {
        throw await refuse(
          new InputError(
            `${location.host} is not a GitHub host this portal is configured for`,
          ),
        );
      }
      if (!organizations.includes(location.owner)) {
        throw await refuse(
          new NotAllowedError(
            `Golden paths register repositories of ${
              organizations.join(', ') || '(none configured)'
            } only, not of ${location.owner}`,
          ),
        );
      }
      // Built from the parsed parts, so nothing in the input can point it at another repository.
      const catalogInfoUrl = `https://${location.host}/${location.owner}/${location.repo}/blob/${location.branch}/${path}`;

      let entities: Entity[];
      try {
        const response = await urlReader.readUrl(catalogInfoUrl);
        const text = (await response.buffer()).toString(
          'utf8',
          0,
          MAX_CATALOG_FILE_BYTES + 1,
        );
        entities = entitiesOfNewRepository(text, location);
      } catch (error) {
        if (error instanceof InputError) throw await refuse(error);
        await record('failed', {
          reason: `could not read ${catalogInfoUrl}: ${toError(error).message}`,
        });
        throw error;
      }
      const entityRef = stringifyEntityRef(entities[0]);

      const credentials = await auth.getOwnServiceCredentials();
      for (const entity of entities) {
        const ref = stringifyEntityRef(entity);
        if (await catalog.getEntityByRef(ref, { credentials })) {
          await record('denied', { reason: `${ref} already exists` }, ref);
          throw new ConflictError(
            `${ref} already exists in the catalog: choose another name`,
          );
        }
      }
      try {
        await ctx.checkpoint({
          key: `golden-paths.register.${catalogInfoUrl}`,
          fn: async () => {
            await catalog.addLocation(
              { type: 'url', target: catalogInfoUrl },
              { credentials },
            );
          },
        });
      } catch (error) {
        await record('failed', { error: toError(error).message }, entityRef);
        throw error;
      }
      await record('succeeded', {}, entityRef);
      ctx.logger.info(`Registered ${catalogInfoUrl}: ${entityRef}`);
      ctx.output('entityRef', entityRef);
      ctx.output('catalogInfoUrl', catalogInfoUrl);
    },
  });
}
