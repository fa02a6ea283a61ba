import { SecretKind } from '@internal/plugin-security-common';

/** A span of the original text to redact. */
export interface SecretSpan {
  kind: SecretKind;
  start: number;
  end: number;
}

interface Detector {
  kind: SecretKind;
  pattern: RegExp;
  /** Index of the capture group to redact; 0 (the whole match) when absent. */
  group?: number;
  accept?: (value: string) => boolean;
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
    kind: 'jwt',
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/dg,
  },
  {
    kind: 'url-password',
    pattern: /[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:([^\s@/'"]+)@/dgi,
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

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) {
    counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * A token that mixes upper case, lower case and digits with high entropy: an API key or token
 * of an unknown vendor. UUIDs, hex digests (commit SHAs) and paths do not qualify.
 */
export function looksLikeRandomSecret(token: string): boolean {
  if (UUID.test(token)) {
    return false;
  }
  const segments = token.split('/');
  if (segments.length > 2 && segments.every(s => /^[a-z0-9._-]*$/.test(s))) {
    return false;
  }
  const hasUpper = /[A-Z]/.test(token);
  const hasLower = /[a-z]/.test(token);
  const digits = token.replace(/[^0-9]/g, '').length;
  return hasUpper && hasLower && digits >= 2 && shannonEntropy(token) >= 4;
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
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9.-])(?:[a-z0-9-]+\.)*(?:${alternatives})(?![A-Za-z0-9-])`,
      'gid',
    ),
  };
}

/** Spans found by the supplementary detectors, in no particular order. */
export function detectSupplementarySecrets(
  text: string,
  internalDomains: string[] = [],
): SecretSpan[] {
  const detectors = [...DETECTORS];
  const domainDetector = internalDomainDetector(internalDomains);
  if (domainDetector) {
    detectors.push(domainDetector);
  }
  const spans: SecretSpan[] = [];
  for (const detector of detectors) {
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
