import fc from 'fast-check';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityReadPermission,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  decidePlaceholderPermission,
  readPlaceholderPolicyMode,
} from './placeholderPermissionPolicy';

const ACTIONS = ['create', 'read', 'update', 'delete', undefined] as const;

const anyPermission = fc
  .record({
    name: fc.string({ minLength: 1 }),
    action: fc.constantFrom(...ACTIONS),
  })
  .map(({ name, action }) =>
    createPermission({ name, attributes: action ? { action } : {} }),
  );

describe('placeholder permission policy', () => {
  it.each([
    [catalogEntityReadPermission, AuthorizeResult.ALLOW],
    [catalogEntityCreatePermission, AuthorizeResult.DENY],
    [catalogEntityDeletePermission, AuthorizeResult.DENY],
    [catalogEntityRefreshPermission, AuthorizeResult.DENY],
  ])('read-only mode decides %p as %s', (permission, expected) => {
    expect(
      decidePlaceholderPermission('read-only', { permission }).result,
    ).toBe(expected);
  });

  it('property: read-only mode allows exactly the permissions whose action is read', () => {
    fc.assert(
      fc.property(anyPermission, permission => {
        const decision = decidePlaceholderPermission('read-only', {
          permission,
        });
        const expected =
          permission.attributes.action === 'read'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY;
        return decision.result === expected;
      }),
      { numRuns: 200 },
    );
  });

  it('property: allow-all mode allows every permission', () => {
    fc.assert(
      fc.property(
        anyPermission,
        permission =>
          decidePlaceholderPermission('allow-all', { permission }).result ===
          AuthorizeResult.ALLOW,
      ),
      { numRuns: 100 },
    );
  });

  it('defaults to read-only and rejects an unknown mode with a message naming the key', () => {
    expect(readPlaceholderPolicyMode(undefined)).toBe('read-only');
    expect(readPlaceholderPolicyMode('allow-all')).toBe('allow-all');
    expect(() => readPlaceholderPolicyMode('allow-everything')).toThrow(
      "Invalid portal.permissionPolicy 'allow-everything': use one of allow-all, read-only",
    );
  });
});
