export { feishuMigrationPlugin as default } from './plugin';
export {
  feishuMigrationApiRef,
  FeishuMigrationClient,
} from './api/FeishuMigrationClient';
export type { FeishuMigrationApi } from './api/FeishuMigrationClient';
