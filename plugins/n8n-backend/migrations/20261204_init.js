// @ts-check

/**
 * Runs of self-service actions and entity workflows, followed to a terminal state, and the signatures of
 * accepted callbacks (each is accepted once).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('n8n_runs', table => {
    table.comment('Runs of n8n workflows started from the portal');
    table.string('id').primary();
    table.string('kind').notNullable();
    table.string('action_id').nullable();
    table.string('workflow_id').notNullable();
    table.string('workflow_name').notNullable();
    table.string('entity_ref').nullable();
    table.string('requested_by').notNullable();
    table.text('input').notNullable();
    table.string('status').notNullable();
    table.string('execution_id').nullable();
    table.text('result').nullable();
    table.text('error').nullable();
    table.string('grant_id').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['requested_by', 'created_at'], 'n8n_runs_requester_idx');
    table.index(['entity_ref', 'created_at'], 'n8n_runs_entity_idx');
    table.index(['status'], 'n8n_runs_status_idx');
  });
  await knex.schema.createTable('n8n_callback_receipts', table => {
    table.comment(
      'Signatures of accepted callbacks: a replayed one is refused',
    );
    table.string('signature').primary();
    table.string('run_id').notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable().index();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('n8n_callback_receipts');
  await knex.schema.dropTable('n8n_runs');
};
