import { lintSource } from '@secretlint/core';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { RedactionResult, SecretKind } from '@internal/plugin-security-common';
import {
  applyRedaction,
  detectSupplementarySecrets,
  mergeSpans,
  SecretSpan,
} from './secretSpans';
import { overlappingChunks } from './chunks';

/**
 * Each detector scans at most this much text per call, and the filter yields to the event loop between
 * windows, so that a 1 MB audit body does not block other requests while it is scanned.
 */
const DEFAULT_WINDOW = { size: 64 * 1024, overlap: 8 * 1024 };

const KIND_BY_SECRETLINT_RULE: Record<string, SecretKind> = {
  '@secretlint/secretlint-rule-aws': 'aws-access-key',
  '@secretlint/secretlint-rule-slack': 'slack-token',
  '@secretlint/secretlint-rule-privatekey': 'private-key',
  '@secretlint/secretlint-rule-basicauth': 'url-password',
  '@secretlint/secretlint-rule-database-connection-string': 'connection-string',
};

/** secretlint messages whose reported range does not cover the secret; the supplementary detectors cover these. */
const MISPLACED_SECRETLINT_MESSAGES = new Set(['AWSSecretAccessKey']);

// Replaced by the github-token and gitlab-token detectors in secretSpans.ts: secretlint's rules let a token
// start right after a digit, `_` or `-`, so a long run of `ghp_` or `glpat-` is rescanned from every
// repetition. (A preset's `disabled` entries are ignored by secretlint 13, hence the rules are listed one by one.)
const REPLACED_SECRETLINT_RULES = new Set([
  '@secretlint/secretlint-rule-github',
  '@secretlint/secretlint-rule-gitlab',
]);

// Access key IDs alone are reported only with this option.
const SECRETLINT_RULE_OPTIONS: Record<string, object> = {
  '@secretlint/secretlint-rule-aws': { enableIDScanRule: true },
};

const SECRETLINT_CONFIG = {
  rules: recommendedRules
    .filter(rule => !REPLACED_SECRETLINT_RULES.has(rule.meta.id))
    .map(rule => ({
      id: rule.meta.id,
      rule,
      options: SECRETLINT_RULE_OPTIONS[rule.meta.id],
    })),
};

async function detectWithSecretlint(text: string): Promise<SecretSpan[]> {
  const result = await lintSource({
    source: { content: text, filePath: 'prompt.txt', contentType: 'text' },
    options: { config: SECRETLINT_CONFIG as any, noPhysicFilePath: true },
  });
  return result.messages
    .filter(m => !MISPLACED_SECRETLINT_MESSAGES.has(m.messageId))
    .map(m => ({
      kind: KIND_BY_SECRETLINT_RULE[m.ruleId] ?? 'other-secret',
      start: m.range[0],
      end: m.range[1],
    }));
}

export interface SensitiveContentFilterOptions {
  /** Domains whose host names are internal, e.g. internal.quillstack.example. */
  internalDomains?: string[];
  /**
   * How the text is split for scanning. The overlap must exceed the longest secret to be found across a
   * window border (a 4096-bit PEM private key is about 3.3 KB).
   */
  window?: { size: number; overlap: number };
}

const nextTurnOfEventLoop = () =>
  new Promise<void>(resolve => setImmediate(resolve));

async function detectInWindows(
  text: string,
  options: SensitiveContentFilterOptions,
): Promise<SecretSpan[]> {
  const window = options.window ?? DEFAULT_WINDOW;
  const spans: SecretSpan[] = [];
  const chunks = overlappingChunks(text.length, window.size, window.overlap);
  for (const [index, chunk] of chunks.entries()) {
    if (index > 0) {
      await nextTurnOfEventLoop();
    }
    const part = text.slice(chunk.start, chunk.end);
    if (!/\S/.test(part)) {
      continue; // blank lines hold no secret, and secretlint's cost grows with the number of lines
    }
    const found = [
      ...(await detectWithSecretlint(part)),
      ...detectSupplementarySecrets(part, options.internalDomains ?? []),
    ];
    for (const span of found) {
      spans.push({
        kind: span.kind,
        start: span.start + chunk.start,
        end: span.end + chunk.start,
      });
    }
  }
  return spans;
}

/**
 * Redacts secrets (secretlint's recommended rules plus the detectors in secretSpans.ts) and internal host
 * names, scanning the text in overlapping windows. Returns the redacted text and where each redaction was, for the audit trail.
 */
export async function filterSensitiveContent(
  text: string,
  options: SensitiveContentFilterOptions = {},
): Promise<RedactionResult> {
  const spans = mergeSpans(await detectInWindows(text, options));
  return {
    text: applyRedaction(text, spans),
    findings: spans.map(s => ({
      kind: s.kind,
      offset: s.start,
      length: s.end - s.start,
    })),
  };
}
