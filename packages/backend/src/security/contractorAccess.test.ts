import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import securityPlugin, {
  securityCatalogRulesModule,
} from '@internal/plugin-security-backend';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { permissionsViaSecurityPolicy } from '../__testUtils__/permissionsViaSecurityPolicy';

const ORG = (rafaelsTeam: string) => `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: engineering }
spec: { type: department, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: contractors-northwind }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: rafael-ortiz }
spec: { memberOf: [${rafaelsTeam}] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: payment-gateway }
spec: { type: service, lifecycle: production, owner: engineering }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: usage-metering }
spec: { type: service, lifecycle: experimental, owner: contractors-northwind }
`;

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 500));
    value = await read();
  }
  return value;
}

describe('contractor access through the real catalog and the security policy', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'hides restricted services from contractors, and a membership change in the catalog changes decisions (%s)',
    async databaseId => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'security-org-'));
      const orgFile = path.join(dir, 'org.yaml');
      fs.writeFileSync(orgFile, ORG('contractors-northwind'));
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          securityCatalogRulesModule,
          securityPlugin,
          permissionsViaSecurityPolicy,
          mockServices.database.factory({ knex }),
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({ send: async () => {} }),
          }),
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              catalog: {
                // Short intervals so the test sees a refresh; production uses the catalog's defaults.
                processingInterval: { seconds: 1 },
                rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
                locations: [{ type: 'file', target: orgFile }],
              },
              security: {
                roleCacheSeconds: 1,
                trustedOrgSources: [`file:${orgFile}`],
                roles: [
                  { group: 'group:default/engineering', role: 'developer' },
                  {
                    group: 'group:default/contractors-northwind',
                    role: 'contractor-developer',
                  },
                ],
                contractorPolicy: {
                  accessBoundaries: {
                    restrictedServices: ['component:default/payment-gateway'],
                  },
                },
              },
            },
          }),
        ],
      });
      const asRafael = mockCredentials.user.header('user:default/rafael-ortiz');
      const visibleComponents = async () => {
        const res = await request(backend.server)
          .get('/api/catalog/entities/by-query')
          .query({ filter: 'kind=component' })
          .set('authorization', asRafael);
        return (res.body.items ?? []).map((e: any) => e.metadata.name).sort();
      };
      try {
        // As a contractor, the list is filtered instead of failing.
        const asContractor = await eventually(
          visibleComponents,
          names => names.includes('usage-metering'),
          60_000,
        );
        expect(asContractor).toEqual(['usage-metering']);
        const direct = await request(backend.server)
          .get(
            '/api/catalog/entities/by-name/component/default/payment-gateway',
          )
          .set('authorization', asRafael);
        expect(direct.status).toBe(404);

        // Rafael is hired into engineering: the catalog picks the file up, the role cache expires.
        fs.writeFileSync(orgFile, ORG('engineering'));
        const started = Date.now();
        const asEmployee = await eventually(
          visibleComponents,
          names => names.includes('payment-gateway'),
          60_000,
        );
        expect(asEmployee).toEqual(['payment-gateway', 'usage-metering']);
        // eslint-disable-next-line no-console
        console.log(
          `membership change reflected in ${(
            (Date.now() - started) /
            1000
          ).toFixed(1)} s (${databaseId})`,
        );
      } finally {
        await backend.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    150_000,
  );
});
