// @ts-check

/**
 * What each service cost per day, as OpenCost allocated it, and which days have been synced (a day with
 * no allocation for a service is still a synced day).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('opencost_daily_costs', table => {
    table.comment(
      'Costs of one service (OpenCost label value or namespace) on one UTC day',
    );
    table.string('source', 16).notNullable().comment('label or namespace');
    table.string('name', 253).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
    for (const column of [
      'cpu_cost',
      'ram_cost',
      'pv_cost',
      'network_cost',
      'gpu_cost',
      'load_balancer_cost',
      'total_cost',
      'cpu_core_hours',
      'ram_byte_hours',
      'cpu_core_request_average',
      'cpu_core_usage_average',
      'ram_byte_request_average',
      'ram_byte_usage_average',
    ]) {
      table.double(column).notNullable();
    }
    table.primary(['source', 'name', 'day']);
    table.index(['source', 'day'], 'opencost_daily_costs_day_idx');
  });
  await knex.schema.createTable('opencost_synced_days', table => {
    table.string('source', 16).notNullable();
    table.string('day', 10).notNullable();
    table.timestamp('synced_at', { useTz: true }).notNullable();
    table.primary(['source', 'day']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('opencost_synced_days');
  await knex.schema.dropTable('opencost_daily_costs');
};
