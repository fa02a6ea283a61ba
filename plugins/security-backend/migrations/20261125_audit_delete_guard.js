// @ts-check

/**
 * The audit trail is append-only: besides UPDATE, DELETE and TRUNCATE are refused too, except the
 * retention task's own deletions, which run in a transaction that sets `security.audit_retention` locally.
 * SQLite (development only) has no session settings and keeps no guard.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.config.client !== 'pg') {
    return;
  }
  await knex.raw(`
    CREATE FUNCTION security_audit_events_retention_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('security.audit_retention', true) = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'security_audit_events is append-only: only the retention task deletes records';
    END;
    $$ LANGUAGE plpgsql;
  `);
  await knex.raw(`
    CREATE TRIGGER security_audit_events_no_delete
    BEFORE DELETE ON security_audit_events
    FOR EACH ROW EXECUTE FUNCTION security_audit_events_retention_only();
  `);
  await knex.raw(`
    CREATE TRIGGER security_audit_events_no_truncate
    BEFORE TRUNCATE ON security_audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION security_audit_events_retention_only();
  `);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client !== 'pg') {
    return;
  }
  await knex.raw(
    'DROP TRIGGER IF EXISTS security_audit_events_no_truncate ON security_audit_events',
  );
  await knex.raw(
    'DROP TRIGGER IF EXISTS security_audit_events_no_delete ON security_audit_events',
  );
  await knex.raw(
    'DROP FUNCTION IF EXISTS security_audit_events_retention_only()',
  );
};
