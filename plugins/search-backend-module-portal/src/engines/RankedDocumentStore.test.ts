import fc from 'fast-check';
import { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { PgSearchQuery } from '@backstage/plugin-search-backend-module-pg';
import { recencyFactorSql } from './recency';
import { RankedDocumentStore } from './RankedDocumentStore';

jest.setTimeout(180_000);

const WORDS = ['ledger', 'invoice', 'refund', 'queue', 'alert', 'deploy'];
const DAY = 86_400_000;

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const document = fc.record({
  title: fc
    .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 })
    .map(words => words.join(' ')),
  text: fc
    .array(fc.constantFrom(...WORDS, 'the', 'service'), { maxLength: 12 })
    .map(words => words.join(' ')),
  ageDays: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
});

/** Every match ranked by its full formula, with no pruning: what a page must agree with. */
async function fullRanking(knex: Knex, pgTerm: string) {
  const anyWord = pgTerm.split(')&(').join(')|(');
  const rows = await knex.raw(
    `SELECT document->>'location' AS location, ts_rank(body, query, 0) * (CASE WHEN body @@ to_tsquery('english', ?) THEN 2 ELSE 1 END) * ${recencyFactorSql(
      "document->>'lastModified'",
    )} AS rank
     FROM documents, to_tsquery('english', ?) query WHERE query @@ body ORDER BY rank DESC`,
    [pgTerm, anyWord],
  );
  return rows.rows as Array<{ location: string; rank: number }>;
}

describe('RankedDocumentStore', () => {
  it('pages through exactly the order that ranking every match by text and recency gives', async () => {
    const knex = await databases.init('POSTGRES_15');
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@backstage/plugin-search-backend-module-pg',
        'migrations',
      ),
    });
    const store = new RankedDocumentStore(knex);
    const now = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(document, { minLength: 1, maxLength: 40 }),
        fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 6 }),
        async (documents, words, pageSize) => {
          await knex('documents').delete();
          await knex('documents').insert(
            documents.map((doc, i) => {
              const indexed = {
                title: doc.title,
                text: doc.text,
                location: `/docs/page-${i}`,
                ...(doc.ageDays === undefined
                  ? {}
                  : {
                      lastModified: new Date(
                        now - doc.ageDays * DAY,
                      ).toISOString(),
                    }),
              };
              return {
                type: 'techdocs',
                document: indexed,
                hash: knex.raw('sha256(?::bytea)', [`${i}`]),
              };
            }),
          );
          const pgTerm = words.map(w => `("${w}" | "${w}":*)`).join('&');
          const expected = await fullRanking(knex, pgTerm);
          const paged: Array<{ location: string; rank: number }> = [];
          for (let offset = 0; offset < expected.length; offset += pageSize) {
            const query: PgSearchQuery = {
              pgTerm,
              offset,
              limit: pageSize,
              options: { useHighlight: false } as PgSearchQuery['options'],
            };
            const rows = await store.transaction(tx => store.query(tx, query));
            for (const row of rows) {
              expect(Number(row.total_count)).toBe(expected.length);
            }
            paged.push(
              ...rows.map(row => ({
                location: row.document.location,
                rank: Number((row as any).rank),
              })),
            );
          }
          expect(paged.map(row => row.rank)).toEqual(
            expected.map(row => expect.closeTo(row.rank, 6)),
          );
          // Pages neither repeat nor skip a document (ties may come in either order).
          expect(new Set(paged.map(row => row.location)).size).toBe(
            expected.length,
          );
        },
      ),
      { numRuns: 40 },
    );
    await knex.destroy();
  });
});
