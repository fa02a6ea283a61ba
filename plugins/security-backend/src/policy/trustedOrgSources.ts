import { minimatch } from 'minimatch';

/**
 * Whether a User or Group entity comes from a source that may define the organisation: its
 * `backstage.io/managed-by-location` (which the catalog sets itself, a catalog-info.yaml cannot choose it)
 * matches one of the glob patterns in security.trustedOrgSources, e.g.
 * `url:https://github.com/orgs/quillstack/teams/*` for the GitHub org provider's teams. `*` never crosses a
 * `/`, so a repository's `url:https://github.com/quillstack/repo/blob/main/catalog-info.yaml` does not match
 * `url:https://github.com/*` (the org provider's users).
 */
export function isTrustedOrgEntity(
  managedByLocation: string | undefined,
  trustedOrgSources: string[],
): boolean {
  if (!managedByLocation) {
    return false;
  }
  return trustedOrgSources.some(pattern =>
    minimatch(managedByLocation, pattern, { nocase: true, dot: true }),
  );
}
