// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('feishu_migration_jobs', table => {
    table.comment(
      'A migration of selected Feishu wiki pages into one service; replicas take turns through the lease',
    );
    table.string('id').primary();
    table.string('entity_ref').notNullable().index();
    table.string('created_by').notNullable();
    table.string('status').notNullable().index();
    table.string('space_id').notNullable();
    table.string('space_name').notNullable();
    table.text('options').notNullable();
    table.string('delivery').notNullable();
    table.text('target').notNullable();
    table.string('branch').nullable();
    table.integer('pull_request_number').nullable();
    table.text('pull_request_url').nullable();
    table.text('mkdocs_build').nullable();
    table.text('permission_report').nullable();
    table.text('skipped').notNullable();
    table.text('error').nullable();
    table.integer('documents_total').notNullable();
    table.string('lease_owner').nullable();
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable().index();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
  });

  await knex.schema.createTable('feishu_migration_documents', table => {
    table.comment('One wiki page of a migration and how far it got');
    table
      .string('job_id')
      .notNullable()
      .references('id')
      .inTable('feishu_migration_jobs')
      .onDelete('CASCADE');
    table.string('node_token').notNullable();
    table.string('obj_token').notNullable();
    table.text('title').notNullable();
    table.string('path', 512).notNullable();
    table.string('parent_node_token').notNullable();
    table.integer('position').notNullable();
    table.string('status').notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('warnings').nullable();
    table.text('validation').nullable();
    table.text('permissions').nullable();
    table.text('error').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['job_id', 'node_token']);
  });

  await knex.schema.createTable('feishu_migration_files', table => {
    table.comment(
      'Files a migration writes (pages, images, mkdocs.yml) and, for a local folder, what was there before',
    );
    table
      .string('job_id')
      .notNullable()
      .references('id')
      .inTable('feishu_migration_jobs')
      .onDelete('CASCADE');
    table.string('path', 512).notNullable();
    table.string('kind').notNullable();
    table.string('node_token').nullable();
    table.binary('content').notNullable();
    table.boolean('previous_recorded').notNullable().defaultTo(false);
    table.boolean('existed_before').nullable();
    table.binary('previous_content').nullable();
    table.boolean('written').notNullable().defaultTo(false);
    table.primary(['job_id', 'path']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('feishu_migration_files');
  await knex.schema.dropTable('feishu_migration_documents');
  await knex.schema.dropTable('feishu_migration_jobs');
};
