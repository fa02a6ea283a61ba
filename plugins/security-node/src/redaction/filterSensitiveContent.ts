import { lintSource } from '@secretlint/core';
import { creator as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { RedactionResult, SecretKind } from '@internal/plugin-security-common';
import {
  applyRedaction,
  detectSupplementarySecrets,
  mergeSpans,
  SecretSpan,
} from './secretSpans';

const KIND_BY_SECRETLINT_RULE: Record<string, SecretKind> = {
  '@secretlint/secretlint-rule-aws': 'aws-access-key',
  '@secretlint/secretlint-rule-github': 'github-token',
  '@secretlint/secretlint-rule-gitlab': 'gitlab-token',
  '@secretlint/secretlint-rule-slack': 'slack-token',
  '@secretlint/secretlint-rule-privatekey': 'private-key',
  '@secretlint/secretlint-rule-basicauth': 'url-password',
  '@secretlint/secretlint-rule-database-connection-string': 'connection-string',
};

/** secretlint messages whose reported range does not cover the secret; the supplementary detectors cover these. */
const MISPLACED_SECRETLINT_MESSAGES = new Set(['AWSSecretAccessKey']);

const SECRETLINT_CONFIG = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommendedRules,
      rules: [
        // Access key IDs alone are reported only with this option.
        {
          id: '@secretlint/secretlint-rule-aws',
          options: { enableIDScanRule: true },
        },
      ],
    },
  ],
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
}

/**
 * Redacts secrets (secretlint's recommended rules plus the detectors in secretSpans.ts) and internal host
 * names. Returns the redacted text and where each redaction was, for the audit trail.
 */
export async function filterSensitiveContent(
  text: string,
  options: SensitiveContentFilterOptions = {},
): Promise<RedactionResult> {
  const spans = mergeSpans([
    ...(await detectWithSecretlint(text)),
    ...detectSupplementarySecrets(text, options.internalDomains ?? []),
  ]);
  return {
    text: applyRedaction(text, spans),
    findings: spans.map(s => ({
      kind: s.kind,
      offset: s.start,
      length: s.end - s.start,
    })),
  };
}
