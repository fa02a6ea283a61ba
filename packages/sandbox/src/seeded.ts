import { createHash } from 'node:crypto';

/**
 * A deterministic number in [0, 1) for a key, so every emulator returns the same
 * "random-looking" figures for the same service on every run and in every test.
 */
export function seededFraction(...key: Array<string | number>): number {
  const digest = createHash('sha256').update(key.join('\u0000')).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}

export function seededInt(
  min: number,
  max: number,
  ...key: Array<string | number>
) {
  return min + Math.floor(seededFraction(...key) * (max - min + 1));
}

export function seededHex(length: number, ...key: Array<string | number>) {
  return createHash('sha1')
    .update(key.join('\u0000'))
    .digest('hex')
    .slice(0, length);
}

/** A fixed clock so emulated timestamps are stable: the sandbox's "now" is the start of the current UTC day. */
export function sandboxToday(now = new Date()): Date {
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  );
}

export function daysBefore(date: Date, days: number): Date {
  return new Date(date.getTime() - days * 86_400_000);
}
