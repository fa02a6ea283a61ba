/* eslint-disable no-console */
// Redaction throughput on a 10 MB mixed log (one secret every ~40 lines) and on 1 MB adversarial inputs
// (long runs that make a backtracking detector try every start position). Prints MB/s for each and its
// ratio to the mixed log measured in the same run; the target is at least 10 MB/s on every input.
// Run: yarn workspace @internal/plugin-security-node bench
import { filterSensitiveContent } from '../src/redaction/filterSensitiveContent';

const TARGET_BYTES = 10 * 1024 * 1024;

function mixedLog(bytes: number): string {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const alnum =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const randomString = (n: number) =>
    Array.from({ length: n }, () => pick([...alnum])).join('');
  const secrets = [
    () => `AWS_ACCESS_KEY_ID=AKIA${randomString(16).toUpperCase()}`,
    () => `token=ghp_${randomString(36)}`,
    () =>
      `Authorization: Bearer eyJ${randomString(20)}.eyJ${randomString(
        40,
      )}.${randomString(43)}`,
    () =>
      `DATABASE_URL=postgres://app:${randomString(
        16,
      )}@db.internal.quillstack.example:5432/ledger`,
    () =>
      `slack xoxb-${randomString(12)}-${randomString(13)}-${randomString(24)}`,
  ];
  const services = [
    'invoice-service',
    'payment-gateway',
    'ledger-service',
    'pdf-renderer',
  ];
  const lines: string[] = [];
  let size = 0;
  let i = 0;
  while (size < bytes) {
    const line =
      i % 40 === 17
        ? `2026-11-23T10:${String(i % 60).padStart(2, '0')}:00Z WARN ${pick(
            services,
          )} ${pick(secrets)()}`
        : `2026-11-23T10:${String(i % 60).padStart(2, '0')}:00Z INFO ${pick(
            services,
          )} request ${randomString(8)} completed status=200 in ${Math.floor(
            random() * 900,
          )} ms trace=${randomString(32).toLowerCase()}`;
    lines.push(line);
    size += line.length + 1;
    i++;
  }
  return lines.join('\n');
}

const ADVERSARIAL_BYTES = 1024 * 1024;
const TARGET_MB_PER_S = 10;

/** Each seed repeated to 1 MB: runs of one character class or of the prefixes that start a detector. */
const ADVERSARIAL_SEEDS: Record<string, string> = {
  letters: 'a',
  digits: '1',
  dots: '.',
  equals: '=',
  'scheme separators': '://',
  'letter-colon': 'a:',
  'mixed-case alphanumerics': 'aB3',
  'host labels': 'a.',
  'user-colon-at': 'a:@',
  'url with no end': 'https://u:',
  'password keys': 'password=',
  'secret keys': 'secret_key=',
  'PEM headers': '-----BEGIN PRIVATE KEY-----\n',
  'JWT prefixes': 'eyJa.',
  'GitLab prefixes': 'glpat-',
  'GitHub prefixes': 'ghp_',
  'Slack prefixes': 'xoxb-',
  'AWS prefixes': 'AKIA',
  quotes: '"',
  'blank lines': '\n',
  'one-letter lines': 'a\n',
};

async function megabytesPerSecond(text: string, runs: number) {
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    await filterSensitiveContent(text, {
      internalDomains: ['internal.quillstack.example'],
    });
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return Buffer.byteLength(text) / (1024 * 1024) / best;
}

async function adversarial(mixedMegabytesPerSecond: number) {
  let slowest = Infinity;
  console.log(
    `redaction: adversarial inputs of ${
      ADVERSARIAL_BYTES / 1024 / 1024
    } MB (best of 3; ratio to the mixed log)`,
  );
  for (const [name, seed] of Object.entries(ADVERSARIAL_SEEDS)) {
    const text = seed
      .repeat(Math.ceil(ADVERSARIAL_BYTES / seed.length))
      .slice(0, ADVERSARIAL_BYTES);
    const rate = await megabytesPerSecond(text, 3);
    slowest = Math.min(slowest, rate);
    console.log(
      `  ${name.padEnd(26)} ${rate.toFixed(1).padStart(7)} MB/s  ${(
        rate / mixedMegabytesPerSecond
      ).toFixed(2)}x  ${rate >= TARGET_MB_PER_S ? 'ok' : 'BELOW TARGET'}`,
    );
  }
  console.log(
    `redaction: slowest adversarial input ${slowest.toFixed(
      1,
    )} MB/s (target >= ${TARGET_MB_PER_S} MB/s)`,
  );
  return slowest;
}

async function main() {
  const log = mixedLog(TARGET_BYTES);
  const megabytes = Buffer.byteLength(log) / (1024 * 1024);
  await filterSensitiveContent(log.slice(0, 100_000)); // warm up
  const runs = 3;
  const timings: number[] = [];
  let findings = 0;
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    const result = await filterSensitiveContent(log, {
      internalDomains: ['internal.quillstack.example'],
    });
    timings.push(Number(process.hrtime.bigint() - started) / 1e9);
    findings = result.findings.length;
  }
  const best = Math.min(...timings);
  console.log(
    `redaction: ${megabytes.toFixed(1)} MB mixed log, ${findings} findings`,
  );
  console.log(
    `redaction: best of ${runs}: ${best.toFixed(2)} s = ${(
      megabytes / best
    ).toFixed(1)} MB/s`,
  );
  const slowest = await adversarial(megabytes / best);
  console.log(
    `redaction: peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(
      0,
    )} MB`,
  );
  if (slowest < TARGET_MB_PER_S) {
    process.exitCode = 1;
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
