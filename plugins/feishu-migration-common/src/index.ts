/**
 * What the Feishu migration backend and frontend exchange.
 *
 * @packageDocumentation
 */

/** The design's ConversionConfig with FeishuMigrationConfig.conversionRules folded in. */
export interface MigrationConversionOptions {
  preserveFormatting: boolean;
  handleImages: 'download' | 'link' | 'embed';
  convertTables: boolean;
  commentHandling: 'preserve' | 'remove' | 'convert_to_notes';
}

/** FeishuMigrationConfig.targetStructure; the service is the job's entityRef. */
export interface MigrationTargetStructure {
  docsPath: string;
  preserveHierarchy: boolean;
}

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

export interface WikiSpaceSummary {
  spaceId: string;
  name: string;
  description?: string;
}

export interface DriveFolderSummary {
  folderToken: string;
  name: string;
}

/** A wiki node, or a drive file or folder (then nodeToken = objToken = the file's token). */
export interface WikiTreeNode {
  nodeToken: string;
  objToken: string;
  objType: string;
  parentNodeToken: string;
  title: string;
  editedAt?: string;
}

export interface MigrationRequest {
  entityRef: string;
  /** The source: a wiki space, or a drive folder (exactly one of the two). */
  spaceId?: string;
  folderToken?: string;
  nodeTokens: string[];
  options: MigrationConversionOptions;
  target: MigrationTargetStructure;
}

export interface PreviewRequest {
  /** A wiki node, or a drive document's id (exactly one of the two). */
  nodeToken?: string;
  documentId?: string;
  options: MigrationConversionOptions;
}

export interface SourceOutlineItem {
  depth: number;
  kind: string;
  text: string;
}

export interface PreviewResponse {
  title: string;
  /** What the repository gets (MkDocs Markdown). */
  markdown: string;
  /** The same, with admonitions as blockquotes, for renderers without MkDocs' extensions. */
  previewMarkdown: string;
  warnings: string[];
  /** The Feishu document's structure, block by block, for the side-by-side view. */
  source: SourceOutlineItem[];
}

export type MigrationStatus =
  | 'queued'
  | 'converting'
  | 'validating'
  | 'delivering'
  | 'completed'
  | 'failed'
  | 'rolling_back'
  | 'rolled_back';

export type DocumentStatus = 'pending' | 'converted' | 'failed';

export interface DocumentValidationReport {
  ok: boolean;
  headings: { source: number; kept: number };
  textShare: number;
  images: { source: number; resolved: number };
  links: { relative: number; unresolved: string[]; notRewritten: string[] };
  tables: { source: number; output: number };
  problems: string[];
}

export interface MigrationDocument {
  nodeToken: string;
  title: string;
  path: string;
  parentNodeToken: string;
  status: DocumentStatus;
  attempts: number;
  warnings: string[];
  validation?: DocumentValidationReport;
  error?: string;
}

export interface MkdocsBuildReport {
  status: 'passed' | 'failed' | 'skipped';
  messages: string[];
  durationMs: number;
}

export interface PermissionReportRow {
  memberType: string;
  memberId: string;
  perm: string;
  documents: number;
  /** What the permissionMapping maps it to, or null when nothing does. */
  backstageRole: string | null;
}

export interface MigrationJob {
  id: string;
  entityRef: string;
  createdBy: string;
  status: MigrationStatus;
  spaceId: string;
  spaceName: string;
  options: MigrationConversionOptions;
  target: MigrationTargetStructure;
  delivery: 'pull-request' | 'local-folder';
  /** owner/repo for a pull request, the folder for local delivery. */
  destination: string;
  branch?: string;
  pullRequestUrl?: string;
  mkdocsBuild?: MkdocsBuildReport;
  permissionReport?: PermissionReportRow[];
  skipped: Array<{ nodeToken: string; title: string; reason: string }>;
  error?: string;
  documentsTotal: number;
  documentsConverted: number;
  documentsFailed: number;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export interface MigrationJobDetails extends MigrationJob {
  documents: MigrationDocument[];
}

/** The design's validateMigration(migrationId): one report for the whole migration. */
export interface MigrationValidationReport {
  migrationId: string;
  /** Every page converted and valid, and mkdocs build passed (or could not run). */
  ok: boolean;
  pagesChecked: number;
  pagesWithProblems: number;
  mkdocsBuild?: MkdocsBuildReport;
  documents: Array<
    Pick<
      MigrationDocument,
      'title' | 'path' | 'status' | 'validation' | 'error'
    >
  >;
}
