import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderBackendModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderBackendModuleNotifications from '@backstage/plugin-scaffolder-backend-module-notifications';
import {
  SecurityAuditEntry,
  securityAuditServiceRef,
} from '@internal/plugin-security-node';
import request from 'supertest';
import { scaffolderModuleGoldenPaths } from '../module';
import {
  GoldenPath,
  loadTemplate,
  templateDirectoryContents,
} from '../templates/goldenPathTemplates';

export const DEVELOPER = 'user:default/erik-larsen';

/** The security audit service, keeping what it is given in `entries`. */
export function recordingAuditServiceFactory(entries: SecurityAuditEntry[]) {
  return createServiceFactory({
    service: securityAuditServiceRef,
    deps: {},
    factory: () => ({
      record: async (entry: SecurityAuditEntry) => void entries.push(entry),
    }),
  });
}

const backends: Array<{ stop(): Promise<void> }> = [];
afterAll(() => Promise.all(backends.map(b => b.stop())));

/** The scaffolder with the golden paths' module, as the backend runs it, but nothing published. */
export async function startScaffolder(auditEntries: SecurityAuditEntry[] = []) {
  const backend = await startTestBackend({
    features: [
      scaffolderBackend,
      scaffolderBackendModuleGithub,
      scaffolderBackendModuleNotifications,
      scaffolderModuleGoldenPaths,
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [{ host: 'github.com', token: 'not-used-in-dry-runs' }],
          },
          scaffolder: { goldenPaths: { organizations: ['quillstack'] } },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'erik-larsen', namespace: 'default' },
            spec: { memberOf: ['team-billing'] },
          },
        ],
      }),
      recordingAuditServiceFactory(auditEntries),
    ],
  });
  backends.push(backend);
  return backend.server;
}

export type ScaffolderServer = Awaited<ReturnType<typeof startScaffolder>>;

/** POST /v2/dry-run of a golden path with its skeleton and the shared parts, as the developer. */
export async function dryRun(
  server: ScaffolderServer,
  name: GoldenPath,
  values: Record<string, string>,
) {
  return request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('authorization', mockCredentials.user.header(DEVELOPER))
    .send({
      template: loadTemplate(name),
      values,
      directoryContents: templateDirectoryContents(name),
    });
}

/** The dry-run's generated files by path, or the scaffolder's refusal as an error. */
export async function generatedFiles(
  server: ScaffolderServer,
  name: GoldenPath,
  values: Record<string, string>,
) {
  const response = await dryRun(server, name, values);
  if (response.status !== 200)
    throw new Error(JSON.stringify(response.body).slice(0, 3000));
  const files = new Map<string, Buffer>(
    response.body.directoryContents.map(
      (file: { path: string; base64Content: string }) => [
        file.path,
        Buffer.from(file.base64Content, 'base64'),
      ],
    ),
  );
  return { files, output: response.body.output };
}
