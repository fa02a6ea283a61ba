import { AccessGrant, SensitiveAction } from '@internal/plugin-security-common';

export interface NewAccessGrant {
  userRef: string;
  action: SensitiveAction;
  entityRef?: string;
  reason: string;
  source: string;
  /** How long the grant lasts, from the database's clock. */
  durationMs: number;
}

export interface GrantFilter {
  /** Everyone's when left out. */
  userRef?: string;
  /** Only grants neither expired nor revoked (by the database's clock). */
  activeOnly: boolean;
  limit: number;
}

export interface GrantStore {
  /** Records a grant; a source that already recorded one returns that one instead (created: false). */
  record(
    grant: NewAccessGrant,
  ): Promise<{ grant: AccessGrant; created: boolean }>;
  get(id: string): Promise<AccessGrant | undefined>;
  /** Newest first. */
  list(filter: GrantFilter): Promise<AccessGrant[]>;
  /** Revokes an active grant; undefined when it had already ended (expired or revoked). */
  revoke(
    id: string,
    revocation: { revokedBy: string; reason: string },
  ): Promise<AccessGrant | undefined>;
}
