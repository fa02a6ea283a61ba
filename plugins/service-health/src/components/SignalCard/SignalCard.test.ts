import { ageOf } from './SignalCard';

describe('ageOf', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  it.each([
    ['2026-11-24T11:59:45Z', 'just now'],
    ['2026-11-24T11:55:00Z', '5 min ago'],
    ['2026-11-24T09:00:00Z', '3 h ago'],
    ['2026-11-20T12:00:00Z', '4 days ago'],
    ['2026-11-24T12:05:00Z', 'just now'],
  ])('says %s is %s', (asOf, expected) => {
    expect(ageOf(asOf, now)).toBe(expected);
  });
});
