import fc from 'fast-check';
import { SENSITIVE_ACTION_KEYS } from '@internal/plugin-security-common';
import { ActiveGrant, coversEntity, grantedScope } from './grants';

const NOW = new Date('2026-12-04T12:00:00Z');
const ENTITIES = [
  'component:default/usage-metering',
  'component:default/payment-gateway',
  'component:default/invoice-service',
];
const RESTRICTED = ['component:default/payment-gateway'];

const arbitraryGrant: fc.Arbitrary<ActiveGrant> = fc.record(
  {
    action: fc.constantFrom(...SENSITIVE_ACTION_KEYS),
    entityRef: fc.constantFrom(...ENTITIES),
    expiresAt: fc
      .integer({ min: -48, max: 48 })
      .map(hours => new Date(NOW.getTime() + hours * 3_600_000).toISOString()),
  },
  { requiredKeys: ['action', 'expiresAt'] },
);

describe('grantedScope', () => {
  it('covers an entity only through an unexpired grant of that action on it, and never a restricted one for a contractor', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryGrant, { maxLength: 12 }),
        fc.constantFrom(...SENSITIVE_ACTION_KEYS),
        fc.constantFrom(...ENTITIES),
        fc.boolean(),
        (grants, action, entityRef, contractor) => {
          const scope = grantedScope(grants, action, {
            now: NOW,
            contractor,
            restrictedServices: RESTRICTED,
          });
          const live = grants.filter(
            g => g.action === action && Date.parse(g.expiresAt) > NOW.getTime(),
          );
          const expected =
            live.some(g => g.entityRef === undefined) ||
            live.some(
              g =>
                g.entityRef === entityRef &&
                !(contractor && RESTRICTED.includes(entityRef)),
            );
          expect(coversEntity(scope, entityRef)).toBe(expected);
          expect(contractor && scope.entityRefs.includes(RESTRICTED[0])).toBe(
            false,
          );
          const grantsSomething =
            scope.everywhere || scope.entityRefs.length > 0;
          // `until` is there exactly when something is granted, and lies ahead.
          expect(scope.until === undefined).toBe(!grantsSomething);
          expect(
            Date.parse(scope.until ?? NOW.toISOString()) > NOW.getTime(),
          ).toBe(grantsSomething);
        },
      ),
    );
  });

  it('compares entity refs without case', () => {
    const scope = grantedScope(
      [
        {
          action: 'cost.read',
          entityRef: 'component:default/usage-metering',
          expiresAt: '2026-12-05T00:00:00Z',
        },
      ],
      'cost.read',
      { now: NOW, contractor: false, restrictedServices: [] },
    );
    expect(coversEntity(scope, 'Component:default/Usage-Metering')).toBe(true);
  });
});
