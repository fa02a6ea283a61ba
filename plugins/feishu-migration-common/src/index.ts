/**
 * What the Feishu migration backend and frontend exchange.
 *
 * @packageDocumentation
 */
import type { components } from './schema/openapi.generated';

export * from './permissions';

export type { paths, components } from './schema/openapi.generated';
export { createFeishuMigrationApiClient } from './client';
export type { FeishuMigrationApiClient } from './client';

type Schemas = components['schemas'];

/** How documents are converted: formatting, images, tables and comments. */
export type MigrationConversionOptions = Schemas['MigrationConversionOptions'];
/** Where in the service's repository the docs go; the service is the job's entityRef. */
export type MigrationTargetStructure = Schemas['MigrationTargetStructure'];
export type WikiSpaceSummary = Schemas['WikiSpaceSummary'];
export type DriveFolderSummary = Schemas['DriveFolderSummary'];
export type WikiTreeNode = Schemas['WikiTreeNode'];
export type MigrationRequest = Schemas['MigrationRequest'];
export type PreviewRequest = Schemas['PreviewRequest'];
export type SourceOutlineItem = Schemas['SourceOutlineItem'];
export type PreviewResponse = Schemas['PreviewResponse'];
export type MigrationStatus = Schemas['MigrationStatus'];
export type DocumentStatus = Schemas['DocumentStatus'];
export type DocumentValidationReport = Schemas['DocumentValidationReport'];
export type MigrationDocument = Schemas['MigrationDocument'];
export type MkdocsBuildReport = Schemas['MkdocsBuildReport'];
export type PermissionReportRow = Schemas['PermissionReportRow'];
export type MigrationJob = Schemas['MigrationJob'];
export type MigrationJobDetails = Schemas['MigrationJobDetails'];
export type MigrationJobPage = Schemas['MigrationJobPage'];
export type MigrationValidationReport = Schemas['MigrationValidationReport'];

export const DEFAULT_CONVERSION_OPTIONS: MigrationConversionOptions = {
  preserveFormatting: true,
  handleImages: 'download',
  convertTables: true,
  commentHandling: 'preserve',
};

export const DEFAULT_TARGET_STRUCTURE: MigrationTargetStructure = {
  docsPath: 'docs',
  preserveHierarchy: true,
};
