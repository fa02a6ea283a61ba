import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  DriveFolderSummary,
  MigrationJob,
  MigrationJobDetails,
  MigrationJobPage,
  MigrationRequest,
  MigrationValidationReport,
  PreviewRequest,
  PreviewResponse,
  WikiSpaceSummary,
  WikiTreeNode,
} from '@internal/plugin-feishu-migration-common';

/** The signed-in person a route or an action acts for. */
export interface Caller {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  userRef: string;
}

export interface MigrationListQuery {
  /** Only these services' migrations; every service's when left out. */
  entityRefs?: string[];
  limit: number;
  offset: number;
}

/**
 * What the Feishu migration plugin does, for routes and actions alike. `DefaultMigrationService` does it;
 * `AuthorizedMigrationService` has the same interface and first decides whether the caller may.
 * `entityRef` is always the service being migrated into, already a full entity ref.
 */
export interface MigrationService {
  listSpaces(caller: Caller, entityRef: string): Promise<WikiSpaceSummary[]>;
  listSpaceNodes(
    caller: Caller,
    entityRef: string,
    spaceId: string,
  ): Promise<WikiTreeNode[]>;
  listFolders(caller: Caller, entityRef: string): Promise<DriveFolderSummary[]>;
  listFolderFiles(
    caller: Caller,
    entityRef: string,
    folderToken: string,
  ): Promise<WikiTreeNode[]>;
  preview(caller: Caller, request: PreviewRequest): Promise<PreviewResponse>;
  startMigration(
    caller: Caller,
    request: MigrationRequest,
  ): Promise<MigrationJob>;
  listMigrations(
    caller: Caller,
    query: MigrationListQuery,
  ): Promise<MigrationJobPage>;
  getMigration(caller: Caller, id: string): Promise<MigrationJobDetails>;
  validateMigration(
    caller: Caller,
    id: string,
  ): Promise<MigrationValidationReport>;
  rollback(caller: Caller, id: string): Promise<MigrationJob>;
  retry(caller: Caller, id: string): Promise<MigrationJob>;
}
