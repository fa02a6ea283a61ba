import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderBackendModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderBackendModuleNotifications from '@backstage/plugin-scaffolder-backend-module-notifications';
import { SecurityAuditEntry } from '@internal/plugin-security-node';
import {
  RunningSandbox,
  SANDBOX_CREDENTIALS,
  startSandbox,
} from '@internal/sandbox';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  DEVELOPER,
  recordingAuditServiceFactory,
} from './__testUtils__/scaffolderDryRun';
import { scaffolderModuleGoldenPaths } from './module';
import { auditorServiceFactory } from './audit/auditorServiceFactory';
import { loadTemplate, TEMPLATES_DIR } from './templates/goldenPathTemplates';

jest.setTimeout(120_000);

/**
 * The Go golden path for real, not dry-run: the scaffolder publishes to the sandbox's GitHub (a real git
 * push), the golden paths' register step reads the pushed catalog-info.yaml back through the GitHub
 * integration and registers it, the owner is notified and the run lands in the security trail.
 */
describe('running the Go golden path against the sandbox', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: Object.fromEntries(
        [
          'github',
          'argocd',
          'opencost',
          'n8n',
          'feishu',
          'llm',
          'datadog',
          'kubernetes',
          'sentry',
        ].map(u => [u, 0]),
      ),
    });
  });
  afterAll(() => sandbox?.stop());

  async function startScaffolder(extraFeatures: BackendFeature[] = []) {
    const audit: SecurityAuditEntry[] = [];
    const notifications: unknown[] = [];
    const locations: Array<{ type: string; target: string }> = [];
    const template: Entity = {
      ...loadTemplate('go-service'),
      metadata: {
        ...loadTemplate('go-service').metadata,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${path.join(
            TEMPLATES_DIR,
            'go-service.yaml',
          )}`,
        },
      },
    };
    const catalog = catalogServiceMock({
      entities: [
        template,
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'erik-larsen', namespace: 'default' },
          spec: { memberOf: ['team-platform'] },
        },
        // An existing service: a golden path may not register over it.
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'invoice-service', namespace: 'default' },
          spec: {
            type: 'service',
            owner: 'team-billing',
            lifecycle: 'production',
          },
        },
      ],
    });
    catalog.addLocation = async location => {
      locations.push({ type: location.type ?? 'url', target: location.target });
      return {
        location: {
          id: 'new',
          type: 'url',
          target: location.target,
          entityRef: 'location:default/generated-new',
        },
        entities: [],
        exists: false,
      };
    };
    const backend = await startTestBackend({
      features: [
        scaffolderBackend,
        scaffolderBackendModuleGithub,
        scaffolderBackendModuleNotifications,
        scaffolderModuleGoldenPaths,
        auditorServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                {
                  host: 'github.com',
                  apiBaseUrl: sandbox.urls.github,
                  token: SANDBOX_CREDENTIALS.githubToken,
                },
              ],
            },
            scaffolder: { goldenPaths: { organizations: ['quillstack'] } },
          },
        }),
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        recordingAuditServiceFactory(audit),
        ...extraFeatures,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (notification: unknown) =>
              void notifications.push(notification),
          }),
        }),
      ],
    });
    return { backend, audit, notifications, locations };
  }

  async function runTask(server: any, values: Record<string, string>) {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('authorization', mockCredentials.user.header(DEVELOPER))
      .send({ templateRef: 'template:default/go-service', values });
    if (created.status !== 201) throw new Error(created.text);
    expect({ status: created.status, body: created.body }).toEqual({
      status: 201,
      body: expect.anything(),
    });
    for (;;) {
      const task = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set('authorization', mockCredentials.user.header(DEVELOPER));
      if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
        const events = await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
          .set('authorization', mockCredentials.user.header(DEVELOPER));
        return {
          status: task.body.status as string,
          log: events.body.map((e: any) => e.body.message).join('\n'),
        };
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  const values = {
    name: 'rate-limiter',
    description:
      'Answers whether a tenant may make another API call this second.',
    owner: 'group:default/team-platform',
    system: 'system:default/platform',
    lifecycle: 'experimental',
  };

  it('publishes the repository, registers its catalog file, notifies the owner and audits the run', async () => {
    const { backend, audit, notifications, locations } =
      await startScaffolder();
    const deployed = new Promise<string[]>(resolve =>
      sandbox.events.onRepositoryPushed(pushed =>
        resolve([...pushed.files.keys()]),
      ),
    );
    const { status, log } = await runTask(backend.server, values);
    expect({ status, log }).toMatchObject({ status: 'completed' });

    // The push really happened: the files are in the repository and readable through the GitHub API.
    expect(await deployed).toEqual(
      expect.arrayContaining([
        'go.mod',
        'deploy/argocd/applications.yaml',
        'catalog-info.yaml',
      ]),
    );
    const raw = await fetch(
      `${sandbox.urls.github}/repos/quillstack/rate-limiter/contents/catalog-info.yaml?ref=main`,
      {
        headers: {
          authorization: `token ${SANDBOX_CREDENTIALS.githubToken}`,
          accept: 'application/vnd.github.raw',
        },
      },
    );
    expect(parse(await raw.text()).metadata.name).toBe('rate-limiter');

    expect(locations).toEqual([
      {
        type: 'url',
        target:
          'https://github.com/quillstack/rate-limiter/blob/main/catalog-info.yaml',
      },
    ]);
    expect(notifications).toEqual([
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['group:default/team-platform'],
        },
        payload: expect.objectContaining({
          title: 'rate-limiter was created from the Go golden path',
        }),
      }),
    ]);
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'scaffolder.register',
          actorRef: DEVELOPER,
          outcome: 'succeeded',
          entityRef: 'component:default/rate-limiter',
        }),
        expect.objectContaining({
          action: 'scaffolder.create',
          actorRef: DEVELOPER,
          outcome: 'succeeded',
          entityRef: 'template:default/go-service',
        }),
      ]),
    );

    // Argo CD deploys the three applications the repository defines.
    const applications = await fetch(
      `${sandbox.urls.argocd}/api/v1/applications?selector=backstage-name%3Drate-limiter`,
      {
        headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.argocdToken}` },
      },
    ).then(r => r.json());
    expect(
      applications.items.map((a: any) => [
        a.metadata.name,
        a.status.sync.status,
      ]),
    ).toEqual([
      ['rate-limiter-dev', 'Synced'],
      ['rate-limiter-staging', 'Synced'],
      ['rate-limiter-prod', 'OutOfSync'],
    ]);
    await backend.stop();
  });

  it('fails a run for a repository that exists, registers nothing and audits the failure', async () => {
    const { backend, audit, locations } = await startScaffolder();
    const { status, log } = await runTask(backend.server, {
      ...values,
      name: 'invoice-service',
    });
    expect(status).toBe('failed');
    expect(log).toContain('name already exists');
    expect(locations).toEqual([]);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'scaffolder.create',
        actorRef: DEVELOPER,
        outcome: 'failed',
      }),
    ]);
    await backend.stop();
  });

  it('refuses a run the permission policy denies (a contractor without canCreateServices): nothing published, the refusal audited', async () => {
    const { backend, audit, locations } = await startScaffolder([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('authorization', mockCredentials.user.header(DEVELOPER))
      .send({
        templateRef: 'template:default/go-service',
        values: { ...values, name: 'quota-service' },
      });
    expect(created.status).toBe(403);
    expect(created.body.error.name).toBe('NotAllowedError');
    expect(locations).toEqual([]);
    const repository = await fetch(
      `${sandbox.urls.github}/repos/quillstack/quota-service`,
      {
        headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}` },
      },
    );
    expect(repository.status).toBe(404);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'scaffolder.create',
        actorRef: DEVELOPER,
        outcome: 'denied',
        entityRef: 'template:default/go-service',
      }),
    ]);
    await backend.stop();
  });
});
