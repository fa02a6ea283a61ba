import { SecretKind } from '@internal/plugin-security-common';

/** A span of the original text to redact. */
export interface SecretSpan {
  kind: SecretKind;
  start: number;
  end: number;
}

export interface Detector {
  kind: SecretKind;
  pattern: RegExp;
  /** Index of the capture group to redact; 0 (the whole match) when absent. */
  group?: number;
  accept?: (value: string) => boolean;
  /** Lower-case words every match contains: text without any of them is not scanned. */
  mentions?: string[];
}

const ASSIGNMENT = String.raw`["']?\s*(?::|=>|=)\s*["']?`;

/**
 * What secretlint's recommended preset misses or reports with an unusable range. Each pattern uses the
 * `d` flag so that a capture group's own offsets are known.
 */
const DETECTORS: Detector[] = [
  {
    // secretlint reports this with the key name's range instead of the secret's.
    kind: 'aws-secret-key',
    pattern: new RegExp(
      String.raw`(?:aws)?_?secret_?(?:access)?_?key${ASSIGNMENT}([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])`,
      'gid',
    ),
    group: 1,
  },
  {
    // secretlint only reports PEM blocks with a body of 100 characters or more.
    kind: 'private-key',
    pattern:
      /-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z ]*PRIVATE KEY(?: BLOCK)?-----|(?=\n\s*\n)|$)/dg,
  },
  {
    // secretlint's GitHub and GitLab rules let a token start after a digit, `_` or `-`, so a long run of
    // `ghp_` or `glpat-` is rescanned from every repetition; these start only where no token character
    // precedes them.
    kind: 'github-token',
    pattern:
      /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9_]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])/dg,
  },
  {
    kind: 'gitlab-token',
    pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,128}(?![A-Za-z0-9_-])/dg,
  },
  {
    kind: 'jwt',
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/dg,
  },
  {
    // The scheme starts where no scheme character precedes it and every part is bounded, so that a long run
    // of letters is scanned once rather than once per starting position.
    kind: 'url-password',
    pattern:
      /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@'"]{1,256}:([^\s@/'"]{1,256})@/dgi,
    group: 1,
  },
  {
    kind: 'connection-string',
    pattern:
      /(?:^|[\s;,&?"'{])(?:password|passwd|pwd)\s*[=:]\s*("[^"\n]*"|'[^'\n]*'|[^\s;,&"'}]+)/dgi,
    group: 1,
  },
  {
    kind: 'other-secret',
    pattern: new RegExp(
      String.raw`(?:api[_-]?key|secret|token|auth[_-]?key|access[_-]?key|client[_-]?secret)${ASSIGNMENT}([A-Za-z0-9+/_=.~-]{16,})`,
      'gid',
    ),
    group: 1,
  },
  {
    kind: 'high-entropy',
    pattern: /(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_=-]{24,}(?![A-Za-z0-9+/_=-])/dg,
    accept: looksLikeRandomSecret,
  },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Base64 length of each hash algorithm's digest, padding included. */
const BASE64_DIGEST_LENGTH: Record<string, number> = {
  '1': 28,
  '256': 44,
  '384': 64,
  '512': 88,
};
// Subresource integrity (`sha512-…` in yarn.lock and package-lock.json) and HTTP content digests
// (`sha-256=…`). Only the exact digest length passes, so a secret that merely starts with `sha512-` is kept.
const SRI_OR_HTTP_DIGEST =
  /^(?:sha(1|256|384|512)-|sha-(256|512)=)([A-Za-z0-9+/]+={0,2})$/i;
const HEX_DIGEST = /^(?:[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i;

/** A hash of public content: not a secret however random it looks. */
export function isContentDigest(token: string): boolean {
  if (HEX_DIGEST.test(token)) {
    return true;
  }
  const digest = SRI_OR_HTTP_DIGEST.exec(token);
  if (!digest) {
    return false;
  }
  const algorithm = digest[1] ?? digest[2];
  return digest[3].length === BASE64_DIGEST_LENGTH[algorithm];
}

export function shannonEntropy(value: string): number {
  // Candidate tokens are ASCII; counting in an array keeps a long run (an adversarial 64 KB token) cheap.
  const asciiCounts = new Uint32Array(128);
  const otherCounts = new Map<string, number>();
  let length = 0;
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (code < 128) {
      asciiCounts[code]++;
    } else {
      otherCounts.set(ch, (otherCounts.get(ch) ?? 0) + 1);
    }
    length++;
  }
  let entropy = 0;
  for (const count of [...asciiCounts, ...otherCounts.values()]) {
    if (count > 0) {
      const p = count / length;
      entropy -= p * Math.log2(p);
    }
  }
  return entropy;
}

/** Keys and tokens are far shorter; a longer run (a base64 blob) is judged by its beginning. */
const ENTROPY_SAMPLE_LENGTH = 4096;

/**
 * A token that mixes upper case, lower case and digits with high entropy: an API key or token
 * of an unknown vendor. UUIDs, content digests (commit SHAs, SRI integrity hashes) and paths do not qualify.
 */
export function looksLikeRandomSecret(token: string): boolean {
  const sample = token.slice(0, ENTROPY_SAMPLE_LENGTH);
  if (!/[A-Z]/.test(sample) || !/[a-z]/.test(sample)) {
    return false;
  }
  if (UUID.test(token) || isContentDigest(token)) {
    return false;
  }
  const segments = sample.split('/');
  if (segments.length > 2 && segments.every(s => /^[a-z0-9._-]*$/.test(s))) {
    return false;
  }
  const digits = sample.replace(/[^0-9]/g, '').length;
  return digits >= 2 && shannonEntropy(sample) >= 4;
}

function escapeRegExp(value: string) {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Host names under the internal domains (e.g. db.internal.quillstack.example). */
export function internalDomainDetector(
  domains: string[],
): Detector | undefined {
  if (domains.length === 0) {
    return undefined;
  }
  const alternatives = domains
    .map(d => escapeRegExp(d.toLowerCase()))
    .join('|');
  return {
    kind: 'internal-domain',
    mentions: domains.map(d => d.toLowerCase()),
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9.-])(?:[a-z0-9-]+\.)*(?:${alternatives})(?![A-Za-z0-9-])`,
      'gid',
    ),
  };
}

/** The detectors that run besides secretlint's rules. */
export function supplementaryDetectors(internalDomains: string[]): Detector[] {
  const domainDetector = internalDomainDetector(internalDomains);
  return domainDetector ? [...DETECTORS, domainDetector] : DETECTORS;
}

/** Spans found by the supplementary detectors, in no particular order. */
export function detectSupplementarySecrets(
  text: string,
  internalDomains: string[] = [],
): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const lowerCaseText = internalDomains.length > 0 ? text.toLowerCase() : '';
  for (const detector of supplementaryDetectors(internalDomains)) {
    if (
      detector.mentions &&
      !detector.mentions.some(word => lowerCaseText.includes(word))
    ) {
      continue;
    }
    for (const match of text.matchAll(detector.pattern)) {
      const group = detector.group ?? 0;
      const range = match.indices?.[group];
      const value = match[group];
      if (!range || !value) {
        continue;
      }
      if (detector.accept && !detector.accept(value)) {
        continue;
      }
      spans.push({ kind: detector.kind, start: range[0], end: range[1] });
    }
  }
  return spans;
}

/** Sorted, non-overlapping spans; where two overlap, the union keeps the first one's kind. */
export function mergeSpans(spans: SecretSpan[]): SecretSpan[] {
  const sorted = [...spans]
    .filter(s => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretSpan[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

export function applyRedaction(text: string, spans: SecretSpan[]): string {
  let output = '';
  let cursor = 0;
  for (const span of spans) {
    output += text.slice(cursor, span.start);
    output += `[REDACTED:${span.kind}]`;
    cursor = span.end;
  }
  return output + text.slice(cursor);
}
