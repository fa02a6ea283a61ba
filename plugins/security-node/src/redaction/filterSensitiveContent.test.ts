import fc from 'fast-check';
import { SecretKind } from '@internal/plugin-security-common';
import { filterSensitiveContent } from './filterSensitiveContent';
import { looksLikeRandomSecret } from './secretSpans';

const INTERNAL_DOMAINS = [
  'internal.quillstack.example',
  'corp.quillstack.example',
];
const filter = (text: string) =>
  filterSensitiveContent(text, { internalDomains: INTERNAL_DOMAINS });

const chars = (alphabet: string, minLength: number, maxLength = minLength) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const BASE64 = `${ALNUM}+/`;
const BASE64URL = `${ALNUM}_-`;

// Words, numbers, timestamps, addresses, UUIDs and commit SHAs as they appear in our services' logs.
const LOG_WORDS = [
  'INFO',
  'WARN',
  'ERROR',
  'DEBUG',
  'invoice-service',
  'payment-gateway',
  'ledger-service',
  'captured',
  'request',
  'completed',
  'in',
  'ms',
  'customer',
  'retrying',
  'connection',
  'pool',
  'GET',
  'POST',
  '/api/v1/invoices',
  '/api/v3/journal-entries',
  'status=200',
  'took',
  'cache',
  'miss',
  'hit',
  'queue',
  'billing-events',
  'worker',
  'started',
  'for',
  'tenant',
  'acme-gmbh',
  'invoice',
  'QS-2026-004211',
  'com.quillstack.invoice.InvoiceController',
  'deploy',
  'revision',
  'EUR',
  '12.50',
  'timeout',
  '->',
];
const logToken = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...LOG_WORDS) },
  fc.integer({ min: 0, max: 1_000_000 }).map(String),
  fc
    .date({
      min: new Date('2020-01-01'),
      max: new Date('2030-01-01'),
      noInvalidDate: true,
    })
    .map(d => d.toISOString()),
  fc.ipV4(),
  fc.uuid(),
  chars('0123456789abcdef', 40),
);
const logLine = fc
  .array(logToken, { minLength: 1, maxLength: 12 })
  .map(tokens => tokens.join(' '));
const logLines = fc.array(logLine, { minLength: 1, maxLength: 8 });

interface GeneratedSecret {
  /** What goes into the text. */
  text: string;
  /** The part that must not survive, not even 8 characters of it. */
  secret: string;
}

const plain = (secret: fc.Arbitrary<string>) =>
  secret.map(s => ({ text: s, secret: s }));

const SECRETS: Record<SecretKind, fc.Arbitrary<GeneratedSecret>> = {
  'aws-access-key': plain(
    fc
      .tuple(fc.constantFrom('AKIA', 'ASIA'), chars(UPPER + DIGITS, 16))
      .map(([p, s]) => p + s),
  ),
  'aws-secret-key': fc
    .tuple(
      fc.constantFrom(
        'aws_secret_access_key=',
        'AWS_SECRET_ACCESS_KEY: ',
        'secret_key = "',
      ),
      chars(BASE64, 40),
    )
    .map(([key, secret]) => ({ text: key + secret, secret })),
  'github-token': plain(
    fc
      .tuple(fc.constantFrom('ghp_', 'gho_', 'ghs_'), chars(ALNUM, 36))
      .map(([p, s]) => p + s),
  ),
  'gitlab-token': plain(chars(`${ALNUM}_-`, 20).map(s => `glpat-${s}`)),
  'slack-token': plain(
    fc
      .tuple(
        fc.constantFrom('xoxb', 'xoxp'),
        chars(DIGITS, 12),
        chars(DIGITS, 13),
        chars(ALNUM, 24),
      )
      .map(([p, a, b, c]) => `${p}-${a}-${b}-${c}`),
  ),
  'private-key': fc
    .tuple(
      fc.constantFrom('RSA ', 'EC ', 'OPENSSH ', ''),
      fc.array(chars(BASE64, 64), { minLength: 1, maxLength: 6 }),
    )
    .map(([type, body]) => ({
      text: `-----BEGIN ${type}PRIVATE KEY-----\n${body.join(
        '\n',
      )}\n-----END ${type}PRIVATE KEY-----`,
      secret: body.join('\n'),
    })),
  jwt: plain(
    fc
      .tuple(
        chars(BASE64URL, 10, 40),
        chars(BASE64URL, 10, 80),
        chars(BASE64URL, 20, 43),
      )
      .map(([h, p, s]) => `eyJ${h}.eyJ${p}.${s}`),
  ),
  'url-password': fc
    .tuple(
      fc.constantFrom('https', 'postgres', 'redis', 'amqp'),
      chars(LOWER, 3, 10),
      chars(`${ALNUM}!$%*`, 8, 24),
    )
    .map(([scheme, user, password]) => ({
      text: `${scheme}://${user}:${password}@db.example.org/app`,
      secret: password,
    })),
  'connection-string': fc
    .tuple(
      fc.constantFrom('Password=', 'password: ', 'pwd='),
      chars(`${ALNUM}!#%*`, 8, 24),
    )
    .map(([key, password]) => ({
      text: `Server=db1;User Id=app;${key}${password};`,
      secret: password,
    })),
  'high-entropy': plain(chars(ALNUM, 32, 48).filter(looksLikeRandomSecret)),
  'internal-domain': plain(
    fc
      .tuple(
        fc.array(chars(`${LOWER}${DIGITS}`, 1, 8), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.constantFrom(...INTERNAL_DOMAINS),
      )
      .map(([labels, domain]) => `${labels.join('.')}.${domain}`),
  ),
  'other-secret': fc
    .tuple(
      fc.constantFrom('api_key=', 'client_secret: ', 'token="'),
      chars(`${LOWER}${DIGITS}`, 16, 40),
    )
    .map(([key, value]) => ({ text: key + value, secret: value })),
};

const CLOSING: Record<string, string> = { '"': '"', "'": "'", '(': ')' };

function runsOf8(secret: string): string[] {
  const runs = [];
  for (let i = 0; i + 8 <= secret.length; i++) {
    runs.push(secret.slice(i, i + 8));
  }
  return runs;
}

describe('filterSensitiveContent', () => {
  it('redacts every kind of secret in a mixed log and keeps the rest', async () => {
    const text = [
      '2026-11-23T10:00:00Z INFO invoice-service started',
      'AWS_ACCESS_KEY_ID=AKIAQYLPMN5HHHFPZAM2',
      'aws_secret_access_key = "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"',
      'token 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',
      'DATABASE_URL=postgres://admin:S3cr3tPassw0rd@db.internal.quillstack.example:5432/app',
    ].join('\n');
    const result = await filter(text);
    expect(result.text).toBe(
      [
        '2026-11-23T10:00:00Z INFO invoice-service started',
        'AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key]',
        'aws_secret_access_key = "[REDACTED:aws-secret-key]"',
        'token [REDACTED:github-token]',
        'DATABASE_URL=[REDACTED:connection-string]',
      ].join('\n'),
    );
    expect(result.findings.map(f => f.kind)).toEqual([
      'aws-access-key',
      'aws-secret-key',
      'github-token',
      'connection-string',
    ]);
    for (const finding of result.findings) {
      expect(finding.offset).toBeGreaterThanOrEqual(0);
      expect(finding.offset + finding.length).toBeLessThanOrEqual(text.length);
    }
  });

  it('leaves UUIDs, commit SHAs and paths alone', async () => {
    const text =
      'deploy 3f2a9c1e0b7d4e8f9a6b5c4d3e2f1a0b9c8d7e6f of 7c9e6679-7425-40de-944b-e07fc1f90ae7 to /api/v1/applications/invoice-service-prod';
    expect((await filter(text)).text).toBe(text);
  });

  it('scans a large text window by window and lets other requests run in between', async () => {
    let turns = 0;
    let scanning = true;
    const countTurn = () => {
      if (scanning) {
        turns++;
        setImmediate(countTurn);
      }
    };
    setImmediate(countTurn);
    const text = `${'request completed '.repeat(
      40_000,
    )}token 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`;
    const result = await filterSensitiveContent(text);
    scanning = false;
    // 720 KB in windows of 64 KB that overlap by 8 KB: 13 windows, a turn of the event loop before each but the first.
    expect(turns).toBeGreaterThanOrEqual(12);
    expect(result.text.endsWith('token [REDACTED:github-token]')).toBe(true);
  });

  it('keeps lock-file integrity hashes, image digests and commit SHAs, and still redacts the token beside them', async () => {
    const lines = [
      '"@backstage/errors@npm:^1.3.2":',
      '  integrity sha512-Rw0cfCdOKrOcdmMXSBRHEBDqDMuQcx2qDr/aFXJb+pVc0rPZ9ObmaNS6ZCCEihg+r07iPEMK0RHFv7XUD4Q6YA==',
      '<script src="/app.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"></script>',
      'Digest: sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=',
      'image: ghcr.io/quillstack/invoice@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'revision 3f2a9c1e0b7d4e8f9a6b5c4d3e2f1a0b9c8d7e6f',
    ];
    const secret = 'X-Api-Key: Qm9Lk2Vw7Rt5Yp3Nm9Hb4Gc6Fd1Sx0AeQ7Wr2Ty5Ui8';
    const result = await filter([...lines, secret].join('\n'));
    expect(result.text).toBe(
      [...lines, 'X-Api-Key: [REDACTED:other-secret]'].join('\n'),
    );
  });

  it('property: a secret is found wherever the border of a scanning window cuts it', async () => {
    const window = { size: 1_000, overlap: 600 };
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...(Object.keys(SECRETS) as SecretKind[]))
          .chain(kind => SECRETS[kind].map(generated => ({ kind, generated }))),
        logLines,
        logLines,
        fc.double({ min: 0, max: 1, noNaN: true }),
        async ({ generated }, before, after, cutAt) => {
          // The first window ends at `window.size`: the secret's text starts so that this border falls
          // inside it.
          const cut = 1 + Math.floor(cutAt * (generated.text.length - 1));
          const prefixLength = window.size - cut - 1;
          const prefix = `${before.join('\n')}\n${' '.repeat(window.size)}`
            .slice(0, prefixLength)
            .replace(/\S+$/, match => ' '.repeat(match.length));
          const input = `${prefix} ${generated.text} \n${after.join('\n')}`;
          expect(input.indexOf(generated.text)).toBe(window.size - cut);

          const output = (
            await filterSensitiveContent(input, {
              internalDomains: INTERNAL_DOMAINS,
              window,
            })
          ).text.replace(/\[REDACTED:[a-z-]+\]/g, '\u0000');
          const surrounding = [...before, ...after].join('\n');
          expect(
            runsOf8(generated.secret).filter(
              run => !surrounding.includes(run) && output.includes(run),
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  for (const kind of Object.keys(SECRETS) as SecretKind[]) {
    it(`property: any ${kind} embedded anywhere leaves no 8-character run of it, and every other line unchanged`, async () => {
      await fc.assert(
        fc.asyncProperty(
          logLines,
          logLines,
          SECRETS[kind],
          fc.constantFrom(' ', '=', ': ', '"', "'", '(', ', '),
          fc.nat(),
          async (before, after, generated, separator, position) => {
            // The secret goes into the last line of `before`, between two of its words.
            const host = before[before.length - 1].split(' ');
            const at = position % (host.length + 1);
            const closing = CLOSING[separator] ?? ' ';
            const secretLine = [
              ...host.slice(0, at),
              `${separator.trim()}${generated.text}${closing.trim()}`,
              ...host.slice(at),
            ].join(' ');
            const input = [...before.slice(0, -1), secretLine, ...after];
            const output = (await filter(input.join('\n'))).text;

            // The markers are ours ("[REDACTED:internal-domain]" itself contains "internal").
            const withoutMarkers = output.replace(
              /\[REDACTED:[a-z-]+\]/g,
              '\u0000',
            );
            // A run that the surrounding log text has too (".quillst" of com.quillstack...) is no leak.
            const surrounding = [...before, ...after].join('\n');
            const leaked = runsOf8(generated.secret).filter(
              run => !surrounding.includes(run) && withoutMarkers.includes(run),
            );
            expect(leaked).toEqual([]);
            const outputLines = output.split('\n');
            expect(outputLines.slice(0, before.length - 1)).toEqual(
              before.slice(0, -1),
            );
            expect(
              outputLines.slice(outputLines.length - after.length),
            ).toEqual(after);
          },
        ),
        { numRuns: 100 },
      );
    });
  }
});
