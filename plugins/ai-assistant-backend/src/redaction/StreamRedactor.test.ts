import fc from 'fast-check';
import { filterSensitiveContent } from '@internal/plugin-security-node';
import { StreamRedactor } from './StreamRedactor';

jest.setTimeout(120_000);

const filter = (text: string) =>
  filterSensitiveContent(text, {
    internalDomains: ['internal.quillstack.example'],
  });

const alnum = (n: number) =>
  fc.string({
    unit: fc.constantFrom(
      ...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789',
    ),
    minLength: n,
    maxLength: n,
  });

/** A secret as it may appear in an answer, and the part of it that must never be shown. */
const secret = fc.oneof(
  alnum(16).map(s => ({
    text: `AKIA${s.toUpperCase()}`,
    value: `AKIA${s.toUpperCase()}`,
  })),
  alnum(36).map(s => ({ text: `ghp_${s}`, value: `ghp_${s}` })),
  alnum(20).map(s => ({ text: `password=${s}`, value: s })),
  fc
    .tuple(alnum(8), alnum(9))
    .map(([a, b]) => ({ text: `password: "${a} ${b}"`, value: `${a} ${b}` })),
  alnum(14).map(s => ({
    text: `postgres://app:${s}@db.internal.quillstack.example:5432/app`,
    value: s,
  })),
  alnum(120).map(s => ({
    text: `-----BEGIN RSA PRIVATE KEY-----\n${s.slice(0, 60)}\n${s.slice(
      60,
    )}\n-----END RSA PRIVATE KEY-----`,
    value: s.slice(0, 60),
  })),
  fc.constant({
    text: 'https://grafana.internal.quillstack.example/d/checkout',
    value: 'grafana.internal.quillstack.example',
  }),
);

const piece = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'The',
      'deploy',
      'failed',
      'because',
      'checkout',
      'timed',
      'out.',
      '[1]',
      'key:',
      '"quoted"',
      '`code`',
    ),
  },
  { weight: 1, arbitrary: secret },
);
const separator = fc.constantFrom(' ', ' ', ' ', '\n', '\n\n', '\t');

const answer = fc
  .array(fc.tuple(piece, separator), { minLength: 1, maxLength: 40 })
  .map(parts => {
    const secrets = parts
      .map(([p]) => p)
      .filter(
        (p): p is { text: string; value: string } => typeof p !== 'string',
      );
    const text = parts
      .map(([p, sep]) => (typeof p === 'string' ? p : p.text) + sep)
      .join('');
    return { text, secrets };
  });

/** The text cut into the deltas a model streams, at arbitrary points. */
const deltasOf = (text: string) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, text.length - 1) }), {
      maxLength: 60,
    })
    .map(cuts => {
      const points = [
        0,
        ...cuts.filter(c => c < text.length).sort((a, b) => a - b),
        text.length,
      ];
      return points.slice(1).map((end, i) => text.slice(points[i], end));
    });

describe('StreamRedactor', () => {
  it('releases exactly the filtered answer, however it is cut, and never a secret', async () => {
    await fc.assert(
      fc.asyncProperty(
        answer.chain(a => fc.tuple(fc.constant(a), deltasOf(a.text))),
        async ([{ text, secrets }, deltas]) => {
          const released: string[] = [];
          const redactor = new StreamRedactor(filter, t => released.push(t));
          for (const delta of deltas) {
            await redactor.push(delta);
            for (const { value } of secrets) {
              expect(released.join('')).not.toContain(value);
            }
          }
          await redactor.end();
          const shown = released.join('');
          expect(shown).toBe((await filter(text)).text);
          for (const { value } of secrets) {
            expect(shown).not.toContain(value);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('releases a word as soon as the next one begins, before the line ends', async () => {
    const released: string[] = [];
    const redactor = new StreamRedactor(filter, t => released.push(t));
    await redactor.push('Checkout ');
    await redactor.push('fail');
    expect(released.join('')).toBe('Checkout ');
    await redactor.push('ed at');
    expect(released.join('')).toBe('Checkout failed ');
    await redactor.end();
    expect(released.join('')).toBe('Checkout failed at');
  });
});
