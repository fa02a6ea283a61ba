/* eslint-disable no-console */
// Redaction throughput on a 10 MB mixed log (one secret every ~40 lines). Prints MB/s.
// Run: yarn workspace @internal/plugin-security-backend bench
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
  console.log(
    `redaction: peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(
      0,
    )} MB`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
