import { Entity } from '@backstage/catalog-model';
import { hasRelation, hasRelationRule } from './hasRelation';

const api: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'payment-api' },
  spec: {},
  relations: [
    { type: 'apiProvidedBy', targetRef: 'component:default/payment-gateway' },
    { type: 'ownedBy', targetRef: 'group:default/team-payments' },
  ],
};

describe('HAS_RELATION', () => {
  it("matches an entity with a relation of the type to one of the targets, whatever the type's case", () => {
    const params = {
      relation: 'apiProvidedBy',
      targetRefs: ['component:default/payment-gateway'],
    };
    expect(hasRelationRule.apply(api, params)).toBe(true);
    expect(
      hasRelationRule.apply(api, { ...params, relation: 'APIPROVIDEDBY' }),
    ).toBe(true);
    expect(
      hasRelationRule.apply(api, {
        ...params,
        targetRefs: ['component:default/ledger-service'],
      }),
    ).toBe(false);
    expect(
      hasRelationRule.apply({ ...api, relations: undefined }, params),
    ).toBe(false);
  });

  it('filters lists in the catalog database by its relations.<type> search key', () => {
    expect(
      hasRelationRule.toQuery({
        relation: 'apiProvidedBy',
        targetRefs: ['component:default/Payment-Gateway'],
      }),
    ).toEqual({
      key: 'relations.apiprovidedby',
      values: ['component:default/payment-gateway'],
    });
    expect(
      hasRelation({ relation: 'apiProvidedBy', targetRefs: [] }),
    ).toMatchObject({ rule: 'HAS_RELATION', resourceType: 'catalog-entity' });
  });
});
