/* eslint-disable no-console */
// Retrieval over 10,000 entities and 5,000 doc chunks in PostgreSQL: p50 and p95 of one question's search
// (as a person who may read everything, and as one who may read 9,000 of the entities), one client,
// printed beside a primary-key read of one chunk in the same run (target p95 <= 100 ms).
// Run: yarn workspace @internal/plugin-ai-assistant-backend bench
import knexFactory from 'knex';
import { MIGRATIONS } from '../src/database/migrations';
import { DatabaseChunkStore } from '../src/retrieval/DatabaseChunkStore';

const ENTITIES = 10_000;
const DOC_CHUNKS = 5_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 400);
const TARGET_P95_MS = 100;
const EMBEDDING_MODEL = 'bench-embeddings';
const EMBEDDING_DIMENSIONS = 512;
const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';
const DATABASE = 'bench_ai_retrieval';

const WORDS =
  'invoice ledger payment refund settlement webhook retry outbox tax render queue cache token rotate deploy rollback alert latency budget schema migration replica failover backup restore quota tenant audit export import report metric trace dunning payout reconcile customer signing receipt email mobile approval fraud scoring ageing revenue gateway routing limit'.split(
    ' ',
  );
const word = (i: number) =>
  WORDS[((i % WORDS.length) + WORDS.length) % WORDS.length];
const name = (i: number) =>
  `${word(i)}-${word(i * 7 + 3)}-${String(i).padStart(5, '0')}`;

const QUESTIONS = [
  'Why did the dunning emails stop for overdue invoices?',
  'Who owns the payment gateway and how are payouts reconciled?',
  'How do I roll back a deployment when the latency alert fires?',
  'Which service signs webhook deliveries to customers?',
  'Where are revenue and ageing reports for finance?',
  'How does failover to the replica work during a backup restore?',
  'What rate limit does the gateway routing apply per tenant?',
  'How do refunds reach the ledger?',
];

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function time(runs: number, fn: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await fn(i);
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

async function main() {
  const admin = knexFactory({ client: 'pg', connection: POSTGRES });
  await admin.raw('drop database if exists ?? with (force)', [DATABASE]);
  await admin.raw('create database ??', [DATABASE]);
  const knex = knexFactory({
    client: 'pg',
    connection: `${POSTGRES.replace(/\/$/, '')}/${DATABASE}`,
    pool: { min: 1, max: 4 },
  });
  try {
    await knex.migrate.latest(MIGRATIONS);
    // Vectors stored as arrays (searched in process) first; a pgvector store then moves them to its column.
    const store = new DatabaseChunkStore(knex, { vectorSearch: 'in-process' });
    const started = Date.now();
    const rows = [
      ...Array.from({ length: ENTITIES }, (_, i) => ({
        source_kind: 'entity',
        source_key: `component:default/${name(i)}`,
        chunk_index: 0,
        required_refs: [`component:default/${name(i)}`],
        title: `${name(i)} (Component)`,
        url: `/catalog/default/component/${name(i)}`,
        heading: null,
        text: `${name(i)} is a production service component. Handles ${word(
          i + 1,
        )} and ${word(i + 2)} for the ${word(
          i + 5,
        )} flow. It is owned by team-${i % 40}. Depends on ${name(
          i + 1,
        )}, ${name(i + 2)}. Tags: ${word(i + 3)}, ${word(i + 4)}.`,
        boost: 1,
        hash: `h${i}`,
        updated_at: new Date(),
      })),
      ...Array.from({ length: DOC_CHUNKS }, (_, i) => ({
        source_kind: i % 10 === 0 ? 'runbook' : 'techdocs',
        source_key: `/docs/default/component/${name(i % ENTITIES)}/page-${i}/`,
        chunk_index: 0,
        required_refs: [`component:default/${name(i % ENTITIES)}`],
        title: `${word(i)} ${word(i + 11)} (${name(i % ENTITIES)} docs)`,
        url: `/docs/default/component/${name(i % ENTITIES)}/page-${i}/`,
        heading: `When the ${word(i + 2)} alert fires`,
        text: `When the ${word(i + 2)} ${word(
          i + 6,
        )} alert fires, check the ${word(i + 9)} dashboard, then ${word(
          i + 13,
        )} the ${word(
          i + 4,
        )} worker. ${'Details follow, step by step, with the commands to run and what to expect from each. '.repeat(
          6,
        )}`,
        boost: i % 10 === 0 ? 1.3 : 1,
        hash: `d${i}`,
        updated_at: new Date(),
      })),
    ];
    for (let i = 0; i < rows.length; i += 1000) {
      await knex('ai_chunks').insert(rows.slice(i, i + 1000));
    }
    await store.refreshTermStats();
    await knex.raw('analyze ai_chunks');
    console.log(
      `${await store.count()} chunks (${ENTITIES} entities, ${DOC_CHUNKS} doc chunks) in PostgreSQL, indexed in ${(
        (Date.now() - started) /
        1000
      ).toFixed(1)} s`,
    );

    const everything = new Set(rows.map(r => r.required_refs[0]));
    const mostOf = new Set([...everything].filter((_r, i) => i % 10 !== 0));
    const baseline = await time(RUNS, i =>
      knex('ai_chunks')
        .where({ id: (i % ENTITIES) + 1 })
        .first('id', 'title', 'text'),
    );
    console.log(
      `baseline: one chunk by primary key           p50 ${baseline.p50.toFixed(
        2,
      )} ms  p95 ${baseline.p95.toFixed(2)} ms`,
    );
    let failed = false;
    for (const [who, readable] of [
      ['reads every entity', everything],
      ['reads 9,000 of them', mostOf],
    ] as const) {
      await time(20, i =>
        store.search({
          question: QUESTIONS[i % QUESTIONS.length],
          readableRefs: readable,
          limit: 8,
        }),
      );
      const result = await time(RUNS, i =>
        store.search({
          question: QUESTIONS[i % QUESTIONS.length],
          readableRefs: readable,
          limit: 8,
        }),
      );
      const ok = result.p95 <= TARGET_P95_MS;
      failed ||= !ok;
      console.log(
        `search, asker ${who.padEnd(20)} p50 ${result.p50.toFixed(
          1,
        )} ms  p95 ${result.p95.toFixed(1)} ms  (${(
          result.p50 / baseline.p50
        ).toFixed(0)}x the baseline's p50; target p95 <= ${TARGET_P95_MS} ms: ${
          ok ? 'met' : 'NOT met'
        })`,
      );
    }

    // With an embeddings model: every chunk embedded (512 numbers, as text-embedding-3-small gives with
    // `dimensions: 512`), the full-text and vector rankings fused.
    const vectorOf = (seed: number) =>
      Array.from({ length: EMBEDDING_DIMENSIONS }, (_, d) =>
        Math.sin(seed * 12.9898 + d * 78.233),
      );
    const embeddingStarted = Date.now();
    for (;;) {
      const chunks = await store.chunksToEmbed(EMBEDDING_MODEL, 1000);
      if (chunks.length === 0) break;
      await store.saveEmbeddings(
        EMBEDDING_MODEL,
        chunks.map(c => ({ id: c.id, vector: vectorOf(Number(c.id)) })),
      );
    }
    console.log(
      `embeddings of ${EMBEDDING_DIMENSIONS} numbers stored for every chunk in ${(
        (Date.now() - embeddingStarted) /
        1000
      ).toFixed(1)} s`,
    );
    for (const mode of ['in-process', 'pgvector'] as const) {
      const hybrid = new DatabaseChunkStore(
        knex,
        mode === 'in-process' ? { vectorSearch: mode } : {},
      );
      if ((await hybrid.vectorSearch()) !== mode) {
        console.log(`(no ${mode} in this PostgreSQL)`);
        continue;
      }
      // Moving the vectors to pgvector's column left the old row versions for autovacuum.
      await knex.raw('VACUUM ANALYZE ai_chunks');
      const query = (i: number) => ({
        question: QUESTIONS[i % QUESTIONS.length],
        readableRefs: mostOf,
        limit: 8,
        questionVector: { model: EMBEDDING_MODEL, vector: vectorOf(-1 - i) },
      });
      const loadStarted = Date.now();
      await hybrid.warmVectors(EMBEDDING_MODEL);
      const firstMs = Date.now() - loadStarted;
      await time(20, i => hybrid.search(query(i)));
      const result = await time(RUNS, i => hybrid.search(query(i)));
      const ok = result.p95 <= TARGET_P95_MS;
      // The target is for full text, the default; this is what an embeddings model adds to it.

      console.log(
        `full text + vectors (${mode.padEnd(
          10,
        )}), 9,000 p50 ${result.p50.toFixed(1)} ms  p95 ${result.p95.toFixed(
          1,
        )} ms  (${(result.p50 / baseline.p50).toFixed(
          0,
        )}x the baseline's p50; target p95 <= ${TARGET_P95_MS} ms: ${
          ok ? 'met' : 'NOT met'
        }; vectors read in ${firstMs} ms)`,
      );
    }
    console.log(
      `${RUNS} searches each, one client, ${QUESTIONS.length} questions in turn`,
    );
    process.exitCode = failed ? 1 : 0;
  } finally {
    await knex.destroy();
    await admin.raw('drop database if exists ?? with (force)', [DATABASE]);
    await admin.destroy();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
