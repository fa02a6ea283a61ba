import { describeMigrations } from '@internal/test-utils';
import { SCHEMA_CHANGES } from './schema';

describeMigrations('feishu-migration', SCHEMA_CHANGES, [
  'feishu_migration_jobs',
  'feishu_migration_documents',
  'feishu_migration_files',
]);
