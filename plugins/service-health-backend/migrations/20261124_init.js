// @ts-check

/**
 * The last answer of each upstream per service, so a page shows it (with its age) when the upstream is
 * down or slow, and every replica serves the same cached answer.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('service_health_snapshots', table => {
    table.string('entity_ref', 512).notNullable();
    table.string('signal', 32).notNullable();
    table.text('payload').nullable();
    table.timestamp('fetched_at', { useTz: true }).nullable();
    table.timestamp('failing_since', { useTz: true }).nullable();
    table.text('problem').nullable();
    table.primary(['entity_ref', 'signal']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('service_health_snapshots');
};
