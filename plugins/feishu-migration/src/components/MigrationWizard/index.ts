export { MigrationWizard } from './MigrationWizard';
export type { MigrationWizardProps } from './MigrationWizard';
