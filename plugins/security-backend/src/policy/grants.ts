import { SensitiveAction } from '@internal/plugin-security-common';

/** A grant as the policy sees it (cached with the subject's role, so expiry is checked again on every use). */
export interface ActiveGrant {
  action: SensitiveAction;
  /** Lower-case entity ref; absent for an action on no entity (e.g. ai.use). */
  entityRef?: string;
  expiresAt: string;
}

/** Where a subject's grants let it perform one action, beyond what its role allows. */
export interface GrantedScope {
  /** A grant on no entity: the action is allowed. */
  everywhere: boolean;
  /** The entities the action is allowed on; never a restricted service for a contractor. */
  entityRefs: string[];
  /** When the longest of these grants ends. */
  until?: string;
}

export interface GrantContext {
  now: Date;
  contractor: boolean;
  /** Lower-case refs of the services contractors never see. */
  restrictedServices: string[];
}

/**
 * The part of a subject's grants that applies to an action now. A grant never lifts the contractor boundary:
 * a restricted service stays out of a contractor's reach whatever a workflow recorded, as the catalog keeps
 * it invisible to them anyway.
 */
export function grantedScope(
  grants: ActiveGrant[],
  action: SensitiveAction,
  context: GrantContext,
): GrantedScope {
  const live = grants.filter(
    grant =>
      grant.action === action &&
      Date.parse(grant.expiresAt) > context.now.getTime() &&
      !(
        context.contractor &&
        grant.entityRef !== undefined &&
        context.restrictedServices.includes(grant.entityRef)
      ),
  );
  const entityRefs = [
    ...new Set(
      live.flatMap(grant => (grant.entityRef ? [grant.entityRef] : [])),
    ),
  ].sort();
  const until = live
    .map(grant => grant.expiresAt)
    .sort()
    .at(-1);
  return {
    everywhere: live.some(grant => grant.entityRef === undefined),
    entityRefs,
    ...(until ? { until } : {}),
  };
}

/** Whether the scope covers one entity (by its ref, compared without case). */
export function coversEntity(scope: GrantedScope, entityRef: string): boolean {
  return (
    scope.everywhere ||
    scope.entityRefs.includes(entityRef.toLocaleLowerCase('en-US'))
  );
}
