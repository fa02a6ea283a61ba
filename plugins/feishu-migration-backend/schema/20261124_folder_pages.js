// @ts-check

/**
 * Drive folders migrate as index pages of what they hold: a page remembers whether it is a docx document
 * or a folder.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('feishu_migration_documents', table => {
    table.string('obj_type').notNullable().defaultTo('docx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('feishu_migration_documents', table => {
    table.dropColumn('obj_type');
  });
};
