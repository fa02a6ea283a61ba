// @ts-check

/**
 * The assistant's tables: what it answered (redacted) and what people said of it, the retrieval index,
 * proposals waiting for a person's confirmation, and the state every replica shares (provider breakers,
 * per-user request windows).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const postgres = /^(pg|postgres)/.test(String(knex.client.config.client));

  await knex.schema.createTable('ai_answers', table => {
    table.string('id', 36).primary();
    table.string('user_ref', 512).notNullable().index();
    table.string('capability', 32).notNullable();
    table.string('entity_ref', 512).nullable();
    table.text('question').notNullable();
    table.text('answer').notNullable();
    table.text('sources').notNullable();
    table.string('provider', 64).notNullable();
    table.string('model', 128).notNullable();
    table.integer('prompt_tokens').notNullable();
    table.integer('completion_tokens').notNullable();
    table.integer('latency_ms').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('ai_feedback', table => {
    table
      .string('answer_id', 36)
      .notNullable()
      .references('id')
      .inTable('ai_answers')
      .onDelete('CASCADE');
    table.string('user_ref', 512).notNullable();
    table.string('rating', 16).notNullable();
    table.text('note').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['answer_id', 'user_ref']);
  });

  await knex.schema.createTable('ai_chunks', table => {
    table.bigIncrements('id');
    table.string('source_kind', 16).notNullable();
    /** The entity ref, doc location or answer id the chunk was cut from. */
    table.string('source_key', 1024).notNullable();
    table.integer('chunk_index').notNullable();
    /** Every entity a reader must be able to read to see the chunk. */
    if (postgres) {
      table.specificType('required_refs', 'text[]').notNullable();
    } else {
      table.text('required_refs').notNullable();
    }
    table.text('title').notNullable();
    table.string('url', 1024).notNullable();
    table.text('heading').nullable();
    table.text('text').notNullable();
    table.float('boost').notNullable().defaultTo(1);
    table.string('hash', 64).notNullable();
    /** JSON array of floats when an embeddings model is configured. */
    table.text('embedding').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['source_kind', 'source_key', 'chunk_index']);
  });
  if (postgres) {
    await knex.raw(`ALTER TABLE ai_chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', title), 'A') ||
      setweight(to_tsvector('english', coalesce(heading, '')), 'B') ||
      setweight(to_tsvector('english', text), 'C')) STORED`);
    await knex.raw('CREATE INDEX ai_chunks_tsv ON ai_chunks USING GIN (tsv)');
    // How many chunks hold each lexeme (the row with the empty lexeme: all chunks), for ranking rare words
    // of a question above common ones; refreshed when the index changes.
    await knex.schema.createTable('ai_term_stats', table => {
      table.text('lexeme').primary();
      table.integer('chunks').notNullable();
    });
  }

  await knex.schema.createTable('ai_proposals', table => {
    table.string('id', 36).primary();
    table.string('user_ref', 512).notNullable().index();
    table.string('answer_id', 36).nullable();
    table.string('action_id', 256).notNullable();
    table.text('title').notNullable();
    table.text('input').notNullable();
    /** proposed → confirmed | failed; a proposal past expires_at can no longer be confirmed. */
    table.string('status', 16).notNullable();
    table.text('output').nullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('ai_provider_breakers', table => {
    table.string('provider_id', 64).primary();
    table.integer('failures').notNullable().defaultTo(0);
    table.timestamp('open_until', { useTz: true }).nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('ai_rate_windows', table => {
    table.string('user_ref', 512).notNullable();
    /** The minute (since the epoch, by the database's clock) the requests were made in. */
    table.bigInteger('window_minute').notNullable();
    table.integer('requests').notNullable();
    table.primary(['user_ref', 'window_minute']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTableIfExists('ai_term_stats');
  for (const table of [
    'ai_rate_windows',
    'ai_provider_breakers',
    'ai_proposals',
    'ai_chunks',
    'ai_feedback',
    'ai_answers',
  ]) {
    await knex.schema.dropTable(table);
  }
};
