// @ts-check

/**
 * Time-boxed grants of a sensitive action (e.g. an access request a workflow approved): the policy honours
 * them until they expire or an admin revokes them. The source (e.g. n8n:run:<id>) is unique, so a callback
 * delivered twice records one grant.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('security_access_grants', table => {
    table.comment(
      'Time-boxed grants of sensitive actions, revocable by admins',
    );
    table.string('id').primary();
    table.string('user_ref').notNullable();
    table.string('action').notNullable();
    table.string('entity_ref').nullable();
    table.text('reason').notNullable();
    table.string('source').notNullable().unique();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.string('revoked_by').nullable();
    table.text('revoke_reason').nullable();
    table.index(['user_ref', 'expires_at'], 'security_access_grants_user_idx');
    table.index(['expires_at'], 'security_access_grants_expiry_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('security_access_grants');
};
