import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  securityAccessServiceRef,
  securityAuditServiceRef,
  sensitiveContentFilterServiceRef,
} from '@internal/plugin-security-node';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import {
  catalogEntity as entity,
  TRUSTED_ORG_SOURCES,
} from '../__testUtils__/catalogEntities';
import { securityPlugin } from '../plugin';

/** Stands in for a plugin that runs a sensitive action (as the n8n plugin will). */
const actingPlugin = createBackendPlugin({
  pluginId: 'workflow-runner',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        access: securityAccessServiceRef,
        audit: securityAuditServiceRef,
        filter: sensitiveContentFilterServiceRef,
      },
      async init({ httpRouter, httpAuth, access, audit, filter }) {
        const router = Router();
        router.use(express.json());
        router.post('/run', async (req, res) => {
          const user = (await httpAuth.credentials(req, { allow: ['user'] }))
            .principal.userEntityRef;
          const { entityRef, input } = req.body;
          const decision = await access.validate(user, 'n8n.run', entityRef);
          if (!decision.allowed) {
            await audit.record({
              actorRef: user,
              action: 'n8n.run',
              entityRef,
              outcome: 'denied',
              details: { reason: decision.reason },
            });
            res.status(403).json({ reason: decision.reason });
            return;
          }
          if (decision.requiresApproval) {
            await access.consumeApproval(user, 'n8n.run', entityRef);
          }
          const redacted = await filter.filter(String(input));
          await audit.record({
            actorRef: user,
            action: 'n8n.run',
            entityRef,
            outcome: 'succeeded',
            details: { input: redacted.text },
          });
          res.json({ ran: true, input: redacted.text });
        });
        router.get('/peek', async (req, res) => {
          const user = (await httpAuth.credentials(req, { allow: ['user'] }))
            .principal.userEntityRef;
          const entityRef = String(req.query.entityRef);
          res.json({
            approved: await access.hasApproval(user, 'n8n.run', entityRef),
            subject: await access.subjectOf(user),
          });
        });
        httpRouter.use(router);
      },
    });
  },
});

describe('security-node clients used by another plugin', () => {
  it('validate, consume an approval once, record audit events; the filter redacts in process', async () => {
    const backend = await startTestBackend({
      features: [
        securityPlugin,
        actingPlugin,
        catalogServiceMock.factory({
          entities: [
            entity('Group', 'team-platform', { type: 'team', children: [] }),
            entity('Group', 'contractors-northwind', {
              type: 'team',
              children: [],
            }),
            entity('User', 'alice-nguyen', {}, ['team-platform']),
            entity('User', 'rafael-ortiz', {}, ['contractors-northwind']),
            entity('Component', 'usage-metering', {
              type: 'service',
              owner: 'contractors-northwind',
              lifecycle: 'experimental',
            }),
          ],
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
        mockServices.rootConfig.factory({
          data: {
            security: {
              trustedOrgSources: TRUSTED_ORG_SOURCES,
              roles: [
                { group: 'group:default/team-platform', role: 'admin' },
                {
                  group: 'group:default/contractors-northwind',
                  role: 'contractor-developer',
                },
              ],
              internalDomains: ['internal.quillstack.example'],
              contractorPolicy: {
                accessBoundaries: { requiresApproval: ['n8n.run'] },
              },
            },
          },
        }),
      ],
    });
    const server = backend.server;
    const rafael = mockCredentials.user.header('user:default/rafael-ortiz');
    const alice = mockCredentials.user.header('user:default/alice-nguyen');
    const run = () =>
      request(server)
        .post('/api/workflow-runner/run')
        .set('authorization', rafael)
        .send({
          entityRef: 'component:default/usage-metering',
          input: 'sync db.internal.quillstack.example',
        });

    expect((await run()).status).toBe(403);
    const peek = () =>
      request(server)
        .get('/api/workflow-runner/peek')
        .query({ entityRef: 'component:default/usage-metering' })
        .set('authorization', rafael);
    expect((await peek()).body).toEqual({
      approved: false,
      subject: {
        userRef: 'user:default/rafael-ortiz',
        role: 'contractor-developer',
        groups: ['group:default/contractors-northwind'],
      },
    });

    const approval = await request(server)
      .post('/api/security/approvals')
      .set('authorization', rafael)
      .send({
        action: 'n8n.run',
        entityRef: 'component:default/usage-metering',
        justification: 'monthly import',
      });
    await request(server)
      .post(`/api/security/approvals/${approval.body.id}/decision`)
      .set('authorization', alice)
      .send({ decision: 'approve', reason: 'ok' });

    // Looking does not use the approval up; running does.
    expect((await peek()).body.approved).toBe(true);
    expect((await peek()).body.approved).toBe(true);
    const first = await run();
    expect((await peek()).body.approved).toBe(false);
    expect(first.status).toBe(200);
    expect(first.body.input).toBe('sync [REDACTED:internal-domain]');
    expect((await run()).status).toBe(403);

    const auditOf = async (action: string) =>
      (
        await request(server)
          .get('/api/security/audit')
          .query({ action })
          .set('authorization', alice)
      ).body.items.map((r: any) => [r.outcome, r.plugin]);
    // The runs without a usable approval stopped at consumeApproval, which the security plugin audits.
    expect(await auditOf('n8n.run')).toEqual([
      ['succeeded', 'workflow-runner'],
    ]);
    expect(await auditOf('approval.consume')).toEqual([
      ['denied', 'security'],
      ['succeeded', 'security'],
      ['denied', 'security'],
    ]);
    await backend.stop();
  });
});
