// @ts-check

/**
 * What the portal knows of each indexed document beside the engine: its title and resource (for "did you
 * mean" suggestions among what the caller may read), and when its content last changed (for ranking).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('portal_search_documents', table => {
    table.string('type', 64).notNullable();
    table.string('location', 1024).notNullable();
    table.text('title').notNullable();
    table.string('resource_ref', 512).nullable();
    table.string('hash', 64).notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    table.primary(['type', 'location']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('portal_search_documents');
};
