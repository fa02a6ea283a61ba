import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  AccessGrant,
  isContractorRole,
  SENSITIVE_ACTIONS,
  SensitiveAction,
} from '@internal/plugin-security-common';
import { SecurityConfig } from '../config/readSecurityConfig';
import { GrantStore } from '../database/GrantStore';
import { ActiveGrant } from '../policy/grants';
import { AccessService } from './AccessService';
import { AuditTrail } from './AuditTrail';

export interface GrantInput {
  user: string;
  action: SensitiveAction;
  entityRef?: string;
  hours: number;
  reason: string;
  source: string;
}

/** How many active grants of one user the policy reads; more is a sign of a runaway workflow. */
const MAX_ACTIVE_GRANTS_PER_USER = 200;

/** A user's grants that the policy honours now, from the store. */
export async function activeGrantsOf(
  store: GrantStore,
  userRef: string,
): Promise<ActiveGrant[]> {
  const found = await store.list({
    userRef: userRef.toLocaleLowerCase('en-US'),
    activeOnly: true,
    limit: MAX_ACTIVE_GRANTS_PER_USER,
  });
  return found.map(grant => ({
    action: grant.action,
    ...(grant.entityRef ? { entityRef: grant.entityRef } : {}),
    expiresAt: grant.expiresAt,
  }));
}

/**
 * Time-boxed grants of sensitive actions: recorded by the backend plugins security.grants.fromPlugins names
 * (an access request a workflow approved), honoured by the policy until they expire, revocable by admins.
 * Every grant and revocation is audited. The security plugin reads grants fresh on every check, so a
 * change counts at once in its answers (My access, validate); the permission policy within
 * security.roleCacheSeconds, for which it caches them with the role.
 */
export class GrantService {
  constructor(
    private readonly store: GrantStore,
    private readonly access: AccessService,
    private readonly audit: AuditTrail,
    private readonly config: SecurityConfig,
  ) {}

  async record(
    pluginId: string,
    input: GrantInput,
  ): Promise<{ grant: AccessGrant; created: boolean }> {
    const { grants } = this.config;
    if (!grants.fromPlugins.includes(pluginId)) {
      throw new NotAllowedError(
        `The ${pluginId} plugin may not record grants; security.grants.fromPlugins names those that may`,
      );
    }
    if (!grants.grantableActions.includes(input.action)) {
      throw new InputError(
        `${
          input.action
        } cannot be granted; grantable actions are ${grants.grantableActions.join(
          ', ',
        )}`,
      );
    }
    if (input.hours > grants.maxHours) {
      throw new InputError(
        `A grant lasts at most ${grants.maxHours} hours (security.grants.maxHours); got ${input.hours}`,
      );
    }
    const onEntity = 'resourceType' in SENSITIVE_ACTIONS[input.action];
    if (onEntity && !input.entityRef) {
      throw new InputError(
        `${input.action} is granted on one entity: entityRef is required`,
      );
    }
    if (!onEntity && input.entityRef) {
      throw new InputError(
        `${input.action} is not an action on an entity: leave entityRef out`,
      );
    }
    const userRef = input.user.toLocaleLowerCase('en-US');
    let entityRef: string | undefined;
    if (input.entityRef) {
      const entity = await this.access.entity(input.entityRef);
      entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
      const subject = await this.access.subjectOf(userRef);
      if (
        isContractorRole(subject.role) &&
        this.config.contractorPolicy.accessBoundaries.restrictedServices.includes(
          entityRef,
        )
      ) {
        throw new ConflictError(
          `${entityRef} is restricted for contractors; no grant can open it to ${userRef}`,
        );
      }
    }
    const result = await this.store.record({
      userRef,
      action: input.action,
      entityRef,
      reason: input.reason.trim(),
      source: input.source,
      durationMs: input.hours * 3_600_000,
    });
    if (result.created) {
      await this.audit.record({
        actorRef: userRef,
        action: 'security.grant',
        entityRef,
        outcome: 'succeeded',
        details: {
          grant: result.grant.id,
          grantedAction: input.action,
          expiresAt: result.grant.expiresAt,
          source: input.source,
          reason: input.reason,
        },
        plugin: pluginId,
      });
    }
    return result;
  }

  list(query: { userRef?: string; activeOnly: boolean; limit: number }) {
    return this.store.list({
      ...query,
      userRef: query.userRef?.toLocaleLowerCase('en-US'),
    });
  }

  /** Ends a grant now; the caller's right to (security.grant.revoke) is checked by SecurityService. */
  async revoke(
    revokedBy: string,
    id: string,
    reason: string,
  ): Promise<AccessGrant> {
    const existing = await this.store.get(id);
    if (!existing) {
      throw new NotFoundError(`No grant ${id}`);
    }
    const revoked = await this.store.revoke(id, {
      revokedBy,
      reason: reason.trim(),
    });
    if (!revoked) {
      throw new ConflictError(
        `Grant ${id} has already ended (expired or revoked)`,
      );
    }
    await this.audit.record({
      actorRef: revokedBy,
      action: 'security.grant.revoke',
      entityRef: revoked.entityRef,
      outcome: 'succeeded',
      details: {
        grant: id,
        user: revoked.userRef,
        grantedAction: revoked.action,
        reason,
      },
      plugin: 'security',
    });
    return revoked;
  }
}
