// @ts-check

/**
 * A run holds a job by a token of its own (not the replica's name), and every write it makes names that
 * token, so a run whose lease was taken over cannot write any more. A failed job remembers the phase that
 * failed, so that a retry resumes there (a failed rollback is retried as a rollback, not a new delivery).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('feishu_migration_jobs', table => {
    table.string('lease_token').nullable();
    table.string('failed_phase').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('feishu_migration_jobs', table => {
    table.dropColumn('failed_phase');
    table.dropColumn('lease_token');
  });
};
