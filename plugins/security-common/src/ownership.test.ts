import { Entity } from '@backstage/catalog-model';
import { isOwnedBy, ownerRefOf, specRefOf } from './ownership';

const entity = (
  owner: string | number | undefined,
  namespace?: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'invoice-service', ...(namespace ? { namespace } : {}) },
  spec: { owner },
});

describe('ownerRefOf', () => {
  it.each([
    ['team-billing', undefined, 'group:default/team-billing'],
    ['group:team-billing', undefined, 'group:default/team-billing'],
    ['group:default/team-billing', undefined, 'group:default/team-billing'],
    ['Group:Default/Team-Billing', undefined, 'group:default/team-billing'],
    ['team-billing', 'finance', 'group:finance/team-billing'],
    ['group:team-billing', 'finance', 'group:finance/team-billing'],
    ['user:jane-doe', undefined, 'user:default/jane-doe'],
  ])('reads owner %s in namespace %s as %s', (owner, namespace, expected) => {
    expect(ownerRefOf(entity(owner, namespace))).toBe(expected);
  });

  it('has no owner for a missing, blank or malformed one', () => {
    expect(ownerRefOf(entity(undefined))).toBeUndefined();
    expect(ownerRefOf(entity('  '))).toBeUndefined();
    expect(ownerRefOf(entity(42))).toBeUndefined();
    expect(ownerRefOf(entity('group:/'))).toBeUndefined();
  });
});

describe('isOwnedBy', () => {
  it('matches group:team against the full ref of the member', () => {
    expect(
      isOwnedBy(entity('group:team-billing'), ['group:default/team-billing']),
    ).toBe(true);
    expect(
      isOwnedBy(entity('group:team-billing'), ['group:default/team-platform']),
    ).toBe(false);
  });
});

describe('specRefOf', () => {
  it("reads a group's spec.parent group:team in the group's namespace", () => {
    const group: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-billing', namespace: 'finance' },
      spec: { parent: 'group:engineering' },
    };
    expect(specRefOf(group.spec?.parent, group, 'group')).toBe(
      'group:finance/engineering',
    );
  });
});
