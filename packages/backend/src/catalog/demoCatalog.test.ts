import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleUnprocessedEntities from '@backstage/plugin-catalog-backend-module-unprocessed';
import request from 'supertest';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

function catalogConfig(extraTargets: string[]) {
  return {
    backend: { baseUrl: 'http://localhost:7007' },
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Domain',
            'Group',
            'User',
          ],
        },
      ],
      locations: [
        { type: 'file', target: path.join(repoRoot, 'catalog', 'all.yaml') },
        ...extraTargets.map(target => ({ type: 'file', target })),
      ],
    },
  };
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 90_000,
) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(
          value,
        ).slice(0, 2000)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 500));
    value = await read();
  }
  return value;
}

describe('demo catalog', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'loads every demo entity and reports a broken catalog-info.yaml as an unprocessed entity with a readable error (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleUnprocessedEntities,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: catalogConfig([
              path.join(__dirname, '__fixtures__', 'broken-catalog-info.yaml'),
              path.join(
                __dirname,
                '__fixtures__',
                'unparseable-catalog-info.yaml',
              ),
            ]),
          }),
        ],
      });
      const server = backend.server;
      const auth = mockCredentials.user.header();
      try {
        // An entity that never processed is listed as pending, carrying its processing errors;
        // the portal's Unprocessed Entities page shows them.
        const unprocessed = () =>
          request(server)
            .get('/api/catalog/entities/unprocessed/pending')
            .set('authorization', auth)
            .then(res => res.body.entities as any[]);
        const isReconciler = (e: any) =>
          e.unprocessed_entity?.metadata?.name === 'billing-reconciler';
        const pending = await eventually(unprocessed, entities =>
          entities.some(e => isReconciler(e) && e.errors?.length > 0),
        );
        const reconciler = pending.find(isReconciler);
        expect(
          reconciler.errors.map((e: any) => e.message).join('\n'),
        ).toContain("/spec must have required property 'type'");

        const components = await eventually(
          async () =>
            (
              await request(server)
                .get('/api/catalog/entities/by-query')
                .query({ filter: 'kind=component', limit: 100 })
                .set('authorization', auth)
            ).body,
          body => body.totalItems >= 15,
        );
        const names = components.items.map((e: any) => e.metadata.name);
        expect(names).toEqual(
          expect.arrayContaining([
            'invoice-service',
            'payment-gateway',
            'customer-web',
            'quillstack-mobile',
          ]),
        );
        expect(names).not.toContain('billing-reconciler');
        expect(names).not.toContain('broken-indentation');

        const groups = await request(server)
          .get('/api/catalog/entities/by-query')
          .query({ filter: 'kind=group,spec.type=team', limit: 100 })
          .set('authorization', auth);
        expect(groups.body.totalItems).toBeGreaterThanOrEqual(5);

        // The unparseable file fails its Location, which carries the YAML parser's message.
        const withYamlError = await eventually(unprocessed, entities =>
          entities.some(e =>
            e.errors?.some((err: any) =>
              /unparseable-catalog-info\.yaml/.test(err.message),
            ),
          ),
        );
        const yamlErrors = withYamlError
          .flatMap(e => e.errors ?? [])
          .filter((err: any) =>
            /unparseable-catalog-info\.yaml/.test(err.message),
          );
        expect(yamlErrors[0].message).toMatch(/YAML|indentation|mapping/i);
      } finally {
        await backend.stop();
      }
    },
    180_000,
  );
});
