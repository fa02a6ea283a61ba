import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import request from 'supertest';
import {
  catalogEntity as entity,
  TRUSTED_ORG_SOURCES,
} from '../__testUtils__/catalogEntities';
import { securityPlugin } from '../plugin';

jest.setTimeout(60_000);

const ADMIN = 'user:default/alice-nguyen';

const ENTITIES: Entity[] = [
  entity('Group', 'team-platform', { type: 'team', children: [] }),
  entity('Group', 'team-billing', { type: 'team', children: [] }),
  entity('Group', 'contractors-northwind', { type: 'team', children: [] }),
  entity('User', 'alice-nguyen', {}, ['team-platform']),
  entity('User', 'erik-larsen', {}, ['team-billing']),
  entity('User', 'rafael-ortiz', {}, ['contractors-northwind']),
  entity('Component', 'usage-metering', {
    type: 'service',
    owner: 'contractors-northwind',
    lifecycle: 'experimental',
  }),
  entity('Component', 'pdf-renderer', {
    type: 'service',
    owner: 'team-billing',
    lifecycle: 'experimental',
  }),
];

const CONFIG = {
  security: {
    trustedOrgSources: TRUSTED_ORG_SOURCES,
    roles: [
      { group: 'group:default/team-platform', role: 'admin' },
      { group: 'group:default/team-billing', role: 'developer' },
      {
        group: 'group:default/contractors-northwind',
        role: 'contractor-developer',
      },
    ],
    internalDomains: ['internal.quillstack.example'],
    contractorPolicy: {
      accessBoundaries: { requiresApproval: ['n8n.run', 'feishu.migrate'] },
    },
  },
};

// Stands in for the permission policy: only the admin may read the audit trail or decide approvals.
const adminOnlyPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    authorize: async (requests: unknown[], { credentials }: any) =>
      requests.map(() => ({
        result:
          credentials.principal.userEntityRef === ADMIN
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
    authorizeConditional: async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  }),
});

describe('approval and audit routes', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function start(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const notifications: NotificationSendOptions[] = [];
    const backend = await startTestBackend({
      features: [
        securityPlugin,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({ data: CONFIG }),
        catalogServiceMock.factory({ entities: ENTITIES }),
        adminOnlyPermissions,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (n: NotificationSendOptions) =>
              void notifications.push(n),
          }),
        }),
      ],
    });
    return { backend, knex, notifications };
  }

  const as = (user: string) => mockCredentials.user.header(user);
  const asService = () => mockCredentials.service.header();
  const auditCount = async (knex: Knex) =>
    Number((await knex('security_audit_events').count({ n: '*' }))[0].n);

  /** Calls a route and checks it wrote exactly one audit record. */
  async function withOneAuditRecord<T>(
    knex: Knex,
    call: () => Promise<T>,
  ): Promise<T> {
    const before = await auditCount(knex);
    const result = await call();
    expect({ added: (await auditCount(knex)) - before, result }).toMatchObject({
      added: 1,
    });
    return result;
  }

  it.each(databases.eachSupportedId())(
    'request, decide, consume once; each sensitive route writes one audit record (%s)',
    async databaseId => {
      const { backend, knex, notifications } = await start(databaseId);
      const server = backend.server;
      const grant = {
        action: 'n8n.run',
        entityRef: 'component:default/usage-metering',
      };

      const created = await withOneAuditRecord(knex, () =>
        request(server)
          .post('/api/security/approvals')
          .set('authorization', as('user:default/rafael-ortiz'))
          .send({
            ...grant,
            justification:
              'rerun the usage import, token 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 broke it',
          }),
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        status: 'pending',
        approvers: ['group:default/team-platform'],
      });
      expect(notifications[0].recipients).toEqual({
        type: 'entity',
        entityRef: ['group:default/team-platform'],
      });

      // The justification is stored in the audit trail only after redaction.
      const stored = await knex('security_audit_events')
        .where({ action: 'approval.request' })
        .first();
      expect(stored.details).not.toContain('ghp_');
      expect(stored.details).toContain('[REDACTED:github-token]');

      const byDeveloper = await withOneAuditRecord(knex, () =>
        request(server)
          .post(`/api/security/approvals/${created.body.id}/decision`)
          .set('authorization', as('user:default/erik-larsen'))
          .send({ decision: 'approve', reason: 'fine' }),
      );
      expect(byDeveloper.status).toBe(403);

      const decided = await withOneAuditRecord(knex, () =>
        request(server)
          .post(`/api/security/approvals/${created.body.id}/decision`)
          .set('authorization', as(ADMIN))
          .send({ decision: 'approve', reason: 'one rerun is fine' }),
      );
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({
        status: 'approved',
        decidedBy: ADMIN,
      });
      expect(notifications[1].recipients).toEqual({
        type: 'entity',
        entityRef: 'user:default/rafael-ortiz',
      });

      const again = await request(server)
        .post(`/api/security/approvals/${created.body.id}/decision`)
        .set('authorization', as(ADMIN))
        .send({ decision: 'deny', reason: 'changed my mind' });
      expect(again.status).toBe(409);

      const inbox = await request(server)
        .get('/api/security/approvals?view=inbox&status=approved')
        .set('authorization', as(ADMIN));
      expect(inbox.body.items.map((r: any) => r.id)).toEqual([created.body.id]);

      // Ten concurrent consumers through HTTP: exactly one gets the grant.
      const consumers = await Promise.all(
        Array.from({ length: 10 }, () =>
          request(server)
            .post('/api/security/approvals/consume')
            .set('authorization', asService())
            .send({ ...grant, user: 'user:default/rafael-ortiz' }),
        ),
      );
      expect(consumers.map(r => r.status).sort()).toEqual([
        200,
        ...Array(9).fill(403),
      ]);

      const audit = await withOneAuditRecord(knex, () =>
        request(server)
          .get('/api/security/audit')
          .query({ actor: 'user:default/rafael-ortiz', limit: 100 })
          .set('authorization', as(ADMIN)),
      );
      expect(audit.status).toBe(200);
      expect(audit.body.items.map((r: any) => r.action)).toEqual(
        expect.arrayContaining(['approval.request', 'approval.consume']),
      );

      const notAdmin = await withOneAuditRecord(knex, () =>
        request(server)
          .get('/api/security/audit')
          .set('authorization', as('user:default/erik-larsen')),
      );
      expect(notAdmin.status).toBe(403);

      const recorded = await withOneAuditRecord(knex, () =>
        request(server)
          .post('/api/security/audit')
          .set('authorization', asService())
          .send({
            actorRef: 'user:default/erik-larsen',
            action: 'ai.use',
            entityRef: 'component:default/pdf-renderer',
            outcome: 'succeeded',
            details: {
              prompt:
                'why does db.internal.quillstack.example refuse connections?',
            },
          }),
      );
      expect(recorded.status).toBe(201);
      expect(recorded.body.details.prompt).toBe(
        'why does [REDACTED:internal-domain] refuse connections?',
      );
      expect(recorded.body.plugin).toBe(
        mockCredentials.service().principal.subject,
      );
      await backend.stop();
    },
  );

  it.each(databases.eachSupportedId())(
    'rejects malformed ids and bodies with 400 and a reason (%s)',
    async databaseId => {
      const { backend } = await start(databaseId);
      const server = backend.server;
      const cases: Array<[request.Test, string]> = [
        [
          request(server)
            .post('/api/security/approvals/not-a-uuid/decision')
            .set('authorization', as(ADMIN))
            .send({ decision: 'approve', reason: 'x' }),
          'request/params/id must match format "uuid"',
        ],
        [
          request(server)
            .post(
              '/api/security/approvals/3f2a9c1e-0b7d-4e8f-9a6b-5c4d3e2f1a0b/decision',
            )
            .set('authorization', as(ADMIN))
            .send({ decision: 'maybe', reason: 'x' }),
          'request/body/decision must be equal to one of the allowed values: approve, deny',
        ],
        [
          request(server)
            .post('/api/security/approvals')
            .set('authorization', as('user:default/rafael-ortiz'))
            .send({
              action: 'n8n.run',
              entityRef: 'component:default/usage-metering',
            }),
          "request/body must have required property 'justification'",
        ],
        [
          request(server)
            .post('/api/security/approvals')
            .set('authorization', as('user:default/rafael-ortiz'))
            .send({
              action: 'n8n.run',
              entityRef: 'component:default/usage-metering',
              justification: 'x'.repeat(2001),
            }),
          'request/body/justification must NOT have more than 2000 characters',
        ],
        [
          request(server)
            .get('/api/security/approvals?view=everything')
            .set('authorization', as(ADMIN)),
          'request/query/view must be equal to one of the allowed values: inbox, mine',
        ],
        [
          request(server)
            .get('/api/security/audit?from=yesterday')
            .set('authorization', as(ADMIN)),
          'request/query/from must match format "date-time"',
        ],
        [
          request(server)
            .get('/api/security/audit?limit=0')
            .set('authorization', as(ADMIN)),
          'request/query/limit must be >= 1',
        ],
        [
          request(server)
            .post('/api/security/audit')
            .set('authorization', asService())
            .send({ action: 'ai.use', outcome: 'great' }),
          'request/body/outcome must be equal to one of the allowed values',
        ],
      ];
      const answers: Array<[number, string]> = [];
      for (const [call] of cases) {
        const res = await call;
        answers.push([res.status, res.body.error?.message]);
      }
      expect(answers).toEqual(
        cases.map(([, message]) => [400, expect.stringContaining(message)]),
      );
      const unknown = await request(server)
        .post(
          '/api/security/approvals/3f2a9c1e-0b7d-4e8f-9a6b-5c4d3e2f1a0b/decision',
        )
        .set('authorization', as(ADMIN))
        .send({ decision: 'approve', reason: 'x' });
      expect(unknown.status).toBe(404);
      const userCannotConsume = await request(server)
        .post('/api/security/approvals/consume')
        .set('authorization', as(ADMIN))
        .send({
          user: 'user:default/rafael-ortiz',
          action: 'n8n.run',
          entityRef: 'component:default/usage-metering',
        });
      expect(userCannotConsume.status).toBe(403);
      await backend.stop();
    },
  );
});
