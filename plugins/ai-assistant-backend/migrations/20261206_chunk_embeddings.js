// @ts-check

/**
 * Embeddings of the retrieval chunks, for when an embeddings model is configured: the vector (PostgreSQL
 * `real[]`, which pgvector casts to its own type where installed; JSON in SQLite) and the model that made
 * it, so that a new model re-embeds everything. The unused text column of the first migration goes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const postgres = /^(pg|postgres)/.test(String(knex.client.config.client));
  if (postgres) {
    await knex.schema.alterTable('ai_chunks', table => {
      table.dropColumn('embedding');
    });
    await knex.schema.alterTable('ai_chunks', table => {
      table.specificType('embedding', 'real[]').nullable();
    });
  }
  await knex.schema.alterTable('ai_chunks', table => {
    table.string('embedding_model', 256).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ai_chunks', table => {
    table.dropColumn('embedding_model');
  });
};
