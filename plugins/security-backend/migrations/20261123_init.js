// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('security_audit_events', table => {
    table.comment(
      'Append-only trail of sensitive operations; only the retention task deletes rows',
    );
    table.string('id').primary();
    table.timestamp('occurred_at', { useTz: true }).notNullable().index();
    table.string('actor_ref').notNullable().index();
    table.boolean('actor_is_contractor').notNullable().defaultTo(false);
    table.string('action').notNullable().index();
    table.string('entity_ref').nullable().index();
    table.string('outcome').notNullable();
    table.string('plugin').notNullable();
    table.text('details').notNullable();
  });

  await knex.schema.createTable('security_approvals', table => {
    table.comment(
      'Approval requests: a one-time, expiring grant that the requesting action consumes',
    );
    table.string('id').primary();
    table.string('action').notNullable();
    table.string('entity_ref').notNullable();
    table.string('requested_by').notNullable();
    table.text('justification').notNullable();
    table.text('approvers').notNullable();
    table.string('status').notNullable();
    table.string('decided_by').nullable();
    table.text('decision_reason').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('consumed_at', { useTz: true }).nullable();
    table.index(
      ['requested_by', 'action', 'entity_ref', 'status'],
      'security_approvals_grant_idx',
    );
    table.index(['status', 'created_at'], 'security_approvals_status_idx');
  });

  if (knex.client.config.client === 'pg') {
    // Audit rows may be deleted by retention, never changed.
    await knex.raw(`
      CREATE FUNCTION security_audit_events_immutable() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'security_audit_events is append-only';
      END;
      $$ LANGUAGE plpgsql;
    `);
    await knex.raw(`
      CREATE TRIGGER security_audit_events_no_update
      BEFORE UPDATE ON security_audit_events
      FOR EACH ROW EXECUTE FUNCTION security_audit_events_immutable();
    `);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw(
      'DROP TRIGGER IF EXISTS security_audit_events_no_update ON security_audit_events',
    );
    await knex.raw('DROP FUNCTION IF EXISTS security_audit_events_immutable()');
  }
  await knex.schema.dropTable('security_approvals');
  await knex.schema.dropTable('security_audit_events');
};
