import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { startSandbox, UPSTREAMS } from '@internal/sandbox';
import express from 'express';
import { AddressInfo } from 'node:net';
import { OpenCostClient } from '../clients/OpenCostClient';
import { addDays, dayOf } from '../costs/analysis';
import { DatabaseCostStore } from '../database/DatabaseCostStore';
import { MIGRATIONS } from '../database/migrations';
import { CostSync } from './CostSync';

jest.setTimeout(60_000);

const TODAY = dayOf(new Date());

/** An OpenCost that answers what `answer` says, on a free loopback port. */
async function fakeOpenCost(answer: (res: express.Response) => void) {
  const app = express();
  app.get('/allocation/compute', (_req, res) => answer(res));
  const server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

describe('CostSync', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function setup(
    databaseId: Parameters<typeof databases.init>[0],
    baseUrl: string,
  ) {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(MIGRATIONS);
    const store = new DatabaseCostStore(knex);
    const logger = mockServices.logger.mock();
    const sync = (url = baseUrl) =>
      new CostSync({
        client: new OpenCostClient({ baseUrl: url, timeoutMs: 1_000 }),
        store,
        logger,
        serviceLabelKey: 'app',
      });
    return { knex, store, logger, sync };
  }

  it.each(databases.eachSupportedId())(
    'backfills 90 days on the first run, then fetches only the settling days and the days of an outage (%s)',
    async databaseId => {
      const sandbox = await startSandbox({
        ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
      });
      try {
        const { store, knex, logger, sync } = await setup(
          databaseId,
          sandbox.urls.opencost,
        );
        expect(await sync().run(TODAY)).toEqual({ label: 90, namespace: 90 });
        const invoice = await store.dailyCosts(
          'label',
          'invoice-service',
          addDays(TODAY, -90),
          TODAY,
        );
        expect(invoice).toHaveLength(90);
        expect(invoice[0].day).toBe(addDays(TODAY, -90));
        expect(invoice[89].day).toBe(addDays(TODAY, -1));
        const namespaces = await store.allDailyCosts(
          'namespace',
          addDays(TODAY, -1),
          TODAY,
        );
        expect([...namespaces.keys()].sort()).toEqual(
          [...new Set(sandbox.catalog.components.map(c => c.system))].sort(),
        );

        // Run again: only the two settling days are fetched again; the rows are the same.
        const rows = await knex('opencost_daily_costs').count({ n: '*' });
        expect(await sync().run(TODAY)).toEqual({ label: 2, namespace: 2 });
        expect(await knex('opencost_daily_costs').count({ n: '*' })).toEqual(
          rows,
        );

        // Five days later, after an outage: the five missing days and the settling ones.
        expect(await sync().run(addDays(TODAY, 5))).toEqual({
          label: 5,
          namespace: 5,
        });
        expect(logger.error).not.toHaveBeenCalled();
      } finally {
        await sandbox.stop();
      }
    },
  );

  it.each([
    ['down', (res: express.Response) => res.destroy()],
    [
      'answering HTTP 500',
      (res: express.Response) => res.status(500).json({ code: 500 }),
    ],
    [
      'answering garbage',
      (res: express.Response) =>
        res
          .type('json')
          .send('{"code":200,"data":[{"billing":{"totalCost":"lots"}}'),
    ],
    [
      'answering malformed allocations',
      (res: express.Response) =>
        res.json({
          code: 200,
          data: [{ billing: { name: 'billing', totalCost: 'lots' } }],
        }),
    ],
    [
      'slower than the timeout',
      (res: express.Response) =>
        setTimeout(() => res.json({ code: 200, data: [] }), 3_000),
    ],
  ])(
    'keeps what it stored when OpenCost is %s, and logs one error per source and run',
    async (_, answer) => {
      const openCost = await fakeOpenCost(answer);
      try {
        const { store, logger, sync } = await setup(
          'POSTGRES_15',
          openCost.url,
        );
        await store.saveDay('label', addDays(TODAY, -1), []);
        expect(await sync().run(TODAY)).toEqual({
          label: 0,
          namespace: 0,
          problem: expect.stringMatching(
            /^OpenCost sync of label:app stopped, the portal shows the costs stored before: /,
          ),
        });
        expect(logger.error).toHaveBeenCalledTimes(2);
        expect(String(logger.error.mock.calls[0][0])).toMatch(
          /^OpenCost sync of label:app stopped, the portal shows the costs stored before: /,
        );
        expect(
          await store.syncedDays('label', addDays(TODAY, -90), TODAY),
        ).toEqual([addDays(TODAY, -1)]);
      } finally {
        await openCost.close();
      }
    },
  );
});
