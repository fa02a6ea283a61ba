/** built: the docs last published are current; failed: the last build failed; unpublished: no docs yet. */
export type DocsBuildStatus = 'built' | 'failed' | 'unpublished';

/** What the docs page shows of an entity's docs builds. */
export interface DocsBuild {
  entityRef: string;
  status: DocsBuildStatus;
  /** Why the last build failed, or why there are no docs. */
  error?: string;
  /** When the portal last built or checked these docs. */
  lastAttemptAt: string;
  /** When the docs being served were built. */
  lastSuccessAt?: string;
}

export interface DocsBuildStore {
  get(entityRef: string): Promise<DocsBuild | undefined>;
  /** When the portal last started building each entity's docs (the local builder only). */
  lastBuildsStarted(): Promise<Map<string, Date>>;
  buildStarted(entityRef: string): Promise<void>;
  /**
   * Published docs seen with this build time; true when it is a build not seen before (a failure recorded
   * since the same build stays recorded).
   */
  published(entityRef: string, buildTimestamp: number): Promise<boolean>;
  failed(
    entityRef: string,
    status: Exclude<DocsBuildStatus, 'built'>,
    error: string,
  ): Promise<void>;
}
