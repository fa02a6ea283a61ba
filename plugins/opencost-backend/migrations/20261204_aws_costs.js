// @ts-check

/**
 * What AWS billed for the resources tagged with each service's label, per day, and the latest check of
 * OpenCost's figures against it. Synced days of AWS are rows of opencost_synced_days with source 'aws'.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('opencost_aws_daily_costs', table => {
    table.comment(
      'AWS Cost Explorer cost of one cost allocation tag value on one UTC day',
    );
    table
      .string('name', 253)
      .notNullable()
      .comment('the tag value: the service label');
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
    table.double('amount').notNullable();
    table.string('currency', 8).notNullable();
    table.primary(['name', 'day']);
    table.index(['day'], 'opencost_aws_daily_costs_day_idx');
  });
  await knex.schema.createTable('opencost_cost_variances', table => {
    table.comment(
      'The latest daily check of OpenCost against AWS, per service label',
    );
    table.string('name', 253).primary();
    table.string('from_day', 10).notNullable();
    table.string('to_day', 10).notNullable().comment('exclusive');
    table.double('opencost').notNullable();
    table.double('aws').notNullable();
    table.double('variance').notNullable();
    table.boolean('flagged').notNullable();
    table.timestamp('checked_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('opencost_cost_variances');
  await knex.schema.dropTable('opencost_aws_daily_costs');
};
