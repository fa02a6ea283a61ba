import { Entity } from '@backstage/catalog-model';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  AWS_VARIANCE_SERVICE,
  SANDBOX_CREDENTIALS,
  servedEntities,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
import { AwsCostClient } from '../clients/AwsCostClient';
import { OpenCostClient } from '../clients/OpenCostClient';
import { addDays, dayOf } from '../costs/analysis';
import { DatabaseCostStore } from '../database/DatabaseCostStore';
import { MIGRATIONS } from '../database/migrations';
import { AwsCostSync } from './AwsCostSync';
import { CostSync } from './CostSync';

jest.setTimeout(60_000);

const TODAY = dayOf(new Date());

describe('AwsCostSync', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;

  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
    });
  });
  afterAll(() => sandbox.stop());

  async function setup(
    databaseId: Parameters<typeof databases.init>[0],
    endpoint = sandbox.urls.awsCostExplorer,
    extraEntities: Entity[] = [],
  ) {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(MIGRATIONS);
    const store = new DatabaseCostStore(knex);
    const logger = mockServices.logger.mock();
    const sent: NotificationSendOptions[] = [];
    await new CostSync({
      client: new OpenCostClient({ baseUrl: sandbox.urls.opencost }),
      store,
      logger,
      serviceLabelKey: 'app',
      backfillDays: 30,
    }).run(TODAY);
    const awsSync = new AwsCostSync({
      client: new AwsCostClient({
        endpoint,
        region: 'us-east-1',
        credentials: {
          accessKeyId: SANDBOX_CREDENTIALS.awsAccessKeyId,
          secretAccessKey: SANDBOX_CREDENTIALS.awsSecretAccessKey,
        },
        timeoutMs: 2_000,
      }),
      store,
      catalog: catalogServiceMock({
        entities: [
          ...(servedEntities(sandbox.catalog, {
            orgSource: 'file:/org.yaml',
          }) as Entity[]),
          ...extraEntities,
        ],
      }),
      auth: mockServices.auth(),
      notifications: { send: async options => void sent.push(options) },
      logger,
      tagKey: 'app',
      varianceThreshold: 0.05,
      backfillDays: 30,
      currency: 'USD',
    });
    return { knex, store, logger, sent, awsSync };
  }

  it.each(databases.eachSupportedId())(
    'stores 30 days of AWS cost by tag through the SDK (paged), flags the one service AWS bills 14 %% more and notifies its owners, once per check (%s)',
    async databaseId => {
      const { knex, store, logger, sent, awsSync } = await setup(databaseId);
      const first = await awsSync.run(TODAY);
      expect(first.problem).toBeUndefined();
      expect(first.days).toBe(30);
      const amounts = await store.awsDailyAmounts(addDays(TODAY, -30), TODAY);
      expect(amounts.get('invoice-service')).toHaveLength(30);

      const flagged = first.variances.filter(v => v.flagged);
      expect(flagged.map(v => v.name)).toEqual([AWS_VARIANCE_SERVICE]);
      expect(flagged[0].variance).toBeCloseTo(0.14 / 1.14, 3);
      expect(first.variances.length).toBeGreaterThan(10);
      for (const v of first.variances.filter(x => !x.flagged)) {
        expect(v.variance).toBeLessThan(0.05);
      }
      expect(first.variances[0]).toMatchObject({
        from: addDays(TODAY, -9),
        to: addDays(TODAY, -2),
      });

      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipients: {
          type: 'entity',
          entityRef: `component:default/${AWS_VARIANCE_SERVICE}`,
        },
        payload: {
          scope: `opencost-aws-variance:${AWS_VARIANCE_SERVICE}`,
          link: `/catalog/default/component/${AWS_VARIANCE_SERVICE}/cost`,
        },
      });
      expect(sent[0].payload.title).toMatch(
        /^pdf-renderer: AWS bills 12\.\d % more than OpenCost allocates$/,
      );

      const stored = await store.variance(AWS_VARIANCE_SERVICE);
      expect(stored).toMatchObject({
        flagged: true,
        name: AWS_VARIANCE_SERVICE,
      });
      expect(stored!.checkedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);

      // The next day's run fetches only the settling days and the new one; rows are not duplicated, and
      // the owners' notification is the same one (same scope) sent again.
      const rows = await knex('opencost_aws_daily_costs').count({ n: '*' });
      const second = await awsSync.run(TODAY);
      expect(second.days).toBe(3);
      expect(await knex('opencost_aws_daily_costs').count({ n: '*' })).toEqual(
        rows,
      );
      expect(sent.map(s => s.payload.scope)).toEqual([
        `opencost-aws-variance:${AWS_VARIANCE_SERVICE}`,
        `opencost-aws-variance:${AWS_VARIANCE_SERVICE}`,
      ]);
      expect(logger.error).not.toHaveBeenCalled();
    },
  );

  it("tells nobody when another component claims the flagged label: the figures are not its owners' to see", async () => {
    const sneaky: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'sneaky-renderer',
        namespace: 'default',
        annotations: { 'opencost/service-label': AWS_VARIANCE_SERVICE },
      },
      spec: { type: 'service', owner: 'contractors-northwind' },
    };
    const { sent, awsSync, logger } = await setup(
      'POSTGRES_15',
      sandbox.urls.awsCostExplorer,
      [sneaky],
    );
    const result = await awsSync.run(TODAY);
    expect(result.variances.filter(v => v.flagged)).toHaveLength(1);
    expect(sent).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('2 components claim the label'),
    );
  });

  it('AWS unreachable: one error logged, the check runs on the days stored before, OpenCost unaffected', async () => {
    const { logger, sent, awsSync, store } = await setup(
      'POSTGRES_15',
      'http://127.0.0.1:9',
    );
    const result = await awsSync.run(TODAY);
    expect(result.days).toBe(0);
    expect(result.problem).toMatch(
      /^AWS cost sync stopped.*AWS Cost Explorer could not be read/,
    );
    expect(result.variances).toEqual([]);
    expect(sent).toEqual([]);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(
      (await store.allDailyCosts('label', addDays(TODAY, -1), TODAY)).size,
    ).toBeGreaterThan(10);
  });

  it('wrong credentials are refused by Cost Explorer and reported as such', async () => {
    const { store, logger } = await setup('POSTGRES_15');
    const result = await new AwsCostSync({
      client: new AwsCostClient({
        endpoint: sandbox.urls.awsCostExplorer,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIAWRONG', secretAccessKey: 'x' },
      }),
      store,
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      notifications: { send: async () => {} },
      logger,
      tagKey: 'app',
      varianceThreshold: 0.05,
      currency: 'USD',
    }).run(TODAY);
    expect(result.problem).toContain(
      'security token included in the request is invalid',
    );
  });
});
