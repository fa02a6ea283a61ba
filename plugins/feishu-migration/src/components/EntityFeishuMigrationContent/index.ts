export { EntityFeishuMigrationContent } from './EntityFeishuMigrationContent';
export { GITHUB_SLUG_ANNOTATION } from './annotations';
