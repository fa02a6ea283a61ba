import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  coreServices,
  createBackendPlugin,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Permission } from '@backstage/plugin-permission-common';
import { ROLES, Role } from '@internal/plugin-security-common';
import {
  decideAccess,
  permissionQueryOf,
  readSecurityConfig,
} from '@internal/plugin-security-backend';
import request from 'supertest';
import { parse } from 'yaml';
import { backendFeatures } from '../features';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const appConfig = parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
);

/** Which plugins the backend installed, as the backend itself reports them. */
let instanceMetadata: RootInstanceMetadataService | undefined;
const installedPluginsProbe = createBackendPlugin({
  pluginId: 'installed-plugins-probe',
  register(env) {
    env.registerInit({
      deps: { metadata: coreServices.rootInstanceMetadata },
      async init({ metadata }) {
        instanceMetadata = metadata;
      },
    });
  },
});

// The expected decision of every installed permission for every role, under the contractor policy that
// app-config.yaml ships, written out independently of decideAccess. A permission that a new plugin adds
// fails this test until someone decides who gets it (the policy denies it to everyone meanwhile).
const ADMIN_ONLY = ['allow', 'deny', 'deny', 'deny', 'deny'];
const TOUCH = 'when owned-by-subject, not-restricted, not-production';
const EXPECTED: Record<string, string[]> = {
  //                                 admin    developer  viewer  contractor-viewer  contractor-developer
  'catalog.entity.read': [
    'allow',
    'allow',
    'allow',
    'when not-restricted',
    'when not-restricted',
  ],
  'catalog.entity.create': ['allow', 'allow', 'deny', 'deny', 'deny'],
  'catalog.entity.refresh': ['allow', 'allow', 'deny', 'deny', TOUCH],
  'catalog.entity.delete': [
    'allow',
    'when owned-by-subject',
    'deny',
    'deny',
    TOUCH,
  ],
  'catalog.entity.validate': ['allow', 'allow', 'allow', 'allow', 'allow'],
  'catalog.location.read': ['allow', 'allow', 'allow', 'deny', 'deny'],
  'catalog.location.create': ADMIN_ONLY,
  'catalog.location.analyze': ADMIN_ONLY,
  'catalog.location.delete': ADMIN_ONLY,
  'catalog.entities.unprocessed.read': ADMIN_ONLY,
  'catalog.entities.unprocessed.delete': ADMIN_ONLY,
  'catalog.ingestion.read': ADMIN_ONLY,
  'catalog.ingestion.manage': ADMIN_ONLY,
  'scaffolder.task.create': ['allow', 'allow', 'deny', 'deny', 'deny'],
  'scaffolder.task.read': [
    'allow',
    'when created-by-subject',
    'when created-by-subject',
    'when created-by-subject',
    'when created-by-subject',
  ],
  'scaffolder.task.cancel': [
    'allow',
    'when created-by-subject',
    'deny',
    'deny',
    'when created-by-subject',
  ],
  'scaffolder.action.execute': ['allow', 'allow', 'deny', 'deny', 'deny'],
  'scaffolder.template.parameter.read': [
    'allow',
    'allow',
    'allow',
    'deny',
    'deny',
  ],
  'scaffolder.template.step.read': ['allow', 'allow', 'allow', 'deny', 'deny'],
  'scaffolder.template.dry-run': ['allow', 'deny', 'deny', 'deny', 'deny'],
  'scaffolder.template.management': ['allow', 'allow', 'deny', 'deny', 'deny'],
  'kubernetes.proxy': ADMIN_ONLY,
  'kubernetes.clusters.read': ['allow', 'allow', 'allow', 'allow', 'allow'],
  'kubernetes.resources.read': ['allow', 'allow', 'allow', 'allow', 'allow'],
  'opencost.cost.read': ['allow', 'allow', 'allow', 'deny', 'deny'],
  'argocd.application.sync': [
    'allow',
    'when owned-by-subject',
    'deny',
    'deny',
    'deny',
  ],
  'ai-assistant.prompt.create': ['allow', 'allow', 'allow', 'allow', 'allow'],
  'n8n.workflow.run': [
    'allow',
    'when owned-by-subject',
    'deny',
    'deny',
    `${TOUCH}, with approval`,
  ],
  'feishu-migration.migration.run': [
    'allow',
    'when owned-by-subject',
    'deny',
    'deny',
    `${TOUCH}, with approval`,
  ],
  'security.audit.read': ADMIN_ONLY,
  'security.grant.revoke': ADMIN_ONLY,
  'security.approval.decide': ['allow', 'allow', 'deny', 'deny', 'deny'],
};

function describeDecision(decision: ReturnType<typeof decideAccess>) {
  if (decision.result === 'deny') return 'deny';
  const approval = decision.requiresApproval ? ', with approval' : '';
  if (decision.result === 'allow') return `allow${approval}`;
  return `when ${decision.rules.join(', ')}${approval}`;
}

describe('permission matrix of the installed backend', () => {
  it('decides every permission the installed plugins define, for every role, as the table says', async () => {
    const backend = await startTestBackend({
      features: [
        ...backendFeatures,
        installedPluginsProbe,
        mockServices.rootConfig.factory({
          data: {
            ...appConfig,
            // Nothing to ingest: only the plugins' registered permissions matter here.
            catalog: { ...appConfig.catalog, locations: [] },
            backend: {
              ...appConfig.backend,
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
          },
        }),
      ],
    });
    try {
      const pluginIds = (await instanceMetadata!.getInstalledPlugins()).map(
        plugin => plugin.pluginId,
      );
      const installed = new Map<string, Permission>();
      for (const pluginId of pluginIds) {
        const res = await request(backend.server).get(
          `/api/${pluginId}/.well-known/backstage/permissions/metadata`,
        );
        for (const permission of (res.body?.permissions ??
          []) as Permission[]) {
          installed.set(permission.name, permission);
        }
      }
      // The catalog, scaffolder, Kubernetes and security plugins at least, so the probe really read the registry.
      expect(installed.size).toBeGreaterThan(20);
      expect([...installed.keys()].sort()).toEqual(
        expect.arrayContaining([
          'kubernetes.proxy',
          'scaffolder.task.read',
          // Each plugin registers its own permissions.
          'feishu-migration.migration.run',
          'security.audit.read',
        ]),
      );

      const unnamed = [...installed.keys()].filter(name => !EXPECTED[name]);
      expect(unnamed).toEqual([]);

      const policy = readSecurityConfig(
        new ConfigReader(appConfig),
      ).contractorPolicy;
      const actual = Object.fromEntries(
        [...installed.values()].map(permission => [
          permission.name,
          ROLES.map((role: Role) =>
            describeDecision(
              decideAccess(role, permissionQueryOf(permission), policy),
            ),
          ),
        ]),
      );
      const expected = Object.fromEntries(
        [...installed.keys()].map(name => [name, EXPECTED[name]]),
      );
      expect(actual).toEqual(expected);
    } finally {
      await backend.stop();
    }
  }, 120_000);
});
