// @ts-check

/**
 * The approvals inbox finds a person's requests through an indexed table of (approval, approver) instead of
 * reading every request and filtering the approvers JSON in memory.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('security_approval_approvers', table => {
    table.comment(
      'Who may decide an approval request: one row per approver ref',
    );
    table
      .string('approval_id')
      .notNullable()
      .references('id')
      .inTable('security_approvals')
      .onDelete('CASCADE');
    table.string('approver_ref').notNullable();
    table.primary(['approval_id', 'approver_ref']);
    table.index(['approver_ref'], 'security_approval_approvers_ref_idx');
  });
  await knex.schema.alterTable('security_approvals', table => {
    table.index(['requested_by', 'created_at'], 'security_approvals_mine_idx');
  });
  const approvals = await knex('security_approvals').select('id', 'approvers');
  const rows = approvals.flatMap(approval =>
    [
      ...new Set(
        /** @type {string[]} */ (JSON.parse(approval.approvers)).map(ref =>
          ref.toLocaleLowerCase('en-US'),
        ),
      ),
    ].map(ref => ({ approval_id: approval.id, approver_ref: ref })),
  );
  if (rows.length > 0) {
    await knex.batchInsert('security_approval_approvers', rows, 200);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('security_approvals', table => {
    table.dropIndex(
      ['requested_by', 'created_at'],
      'security_approvals_mine_idx',
    );
  });
  await knex.schema.dropTable('security_approval_approvers');
};
