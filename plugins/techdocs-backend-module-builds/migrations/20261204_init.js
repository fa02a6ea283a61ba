// @ts-check

/**
 * The last build of each entity's TechDocs as the portal saw it: what the docs page shows when a build
 * failed (its error, and when the docs last built), and the build time search has indexed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('techdocs_builds', table => {
    table.string('entity_ref', 512).primary();
    table.string('status', 16).notNullable();
    table.text('error').nullable();
    table.timestamp('last_attempt_at', { useTz: true }).notNullable();
    table.timestamp('last_success_at', { useTz: true }).nullable();
    /** techdocs_metadata.json's build_timestamp of the docs last seen published. */
    table.bigInteger('published_build_timestamp').nullable();
    /** With the local builder: when the portal last started building these docs. */
    table.timestamp('last_build_started_at', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('techdocs_builds');
};
