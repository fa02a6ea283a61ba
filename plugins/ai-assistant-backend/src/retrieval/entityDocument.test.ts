import { Entity } from '@backstage/catalog-model';
import { entityDocumentOf, entityTextFor } from './entityDocument';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-web', namespace: 'default' },
  spec: {
    type: 'website',
    lifecycle: 'production',
    owner: 'team-x',
    system: 'secret-system',
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/team-x' },
    { type: 'partOf', targetRef: 'system:default/secret-system' },
    { type: 'dependsOn', targetRef: 'component:default/payment-gateway' },
  ],
};

describe('entityTextFor', () => {
  it('names the owner, the system and each related entity only to their readers, and requires them of later readers', () => {
    const doc = entityDocumentOf(checkout);
    const mine = entityTextFor(
      doc,
      new Set(['component:default/checkout-web', 'group:default/team-x']),
    );
    expect(mine.text).toContain('team-x');
    expect(mine.text).not.toMatch(/secret-system|payment-gateway/);
    expect(mine.requiredRefs).toEqual([
      'component:default/checkout-web',
      'group:default/team-x',
    ]);
    const everything = entityTextFor(
      doc,
      new Set([
        'component:default/checkout-web',
        'group:default/team-x',
        'system:default/secret-system',
        'component:default/payment-gateway',
      ]),
    );
    expect(everything.text).toMatch(/secret-system[\s\S]*payment-gateway/);
    expect(everything.requiredRefs).toHaveLength(4);
  });
});
