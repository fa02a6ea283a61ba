export { MigrationDetails } from './MigrationDetails';
