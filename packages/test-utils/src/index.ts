/**
 * Test helpers the portal's backend plugins share.
 *
 * @packageDocumentation
 */
export { describeMigrations, schemaOf } from './migrations';
export type { MigrationsConfig } from './migrations';
export { demoEntities, demoDocPages } from './demoCorpus';
export type { DemoDocPage } from './demoCorpus';
export { dropDatabasesWithPrefix, TEST_POSTGRES } from './databases';
