import { AssistantSource } from '@internal/plugin-ai-assistant-common';
import { AssistantService, Caller } from './AssistantService';

export interface ServiceContext {
  serviceName?: string;
  language?: string;
  framework?: string;
  dependencies?: string[];
}

export interface ErrorContext {
  message: string;
  stack?: string;
  entityRef?: string;
  occurredAt?: string;
}

export interface PRContext {
  repository?: string;
  number?: number;
  title?: string;
  description?: string;
  diff: string;
  entityRef?: string;
}

/** At most `max` characters of a text, cut at whitespace so that no word (or secret) is cut in two. */
function sliceAtWhitespace(text: string, max: number) {
  if (text.length <= max) return text;
  const space = text.lastIndexOf(' ', max);
  return text.slice(0, space > 0 ? space : 0);
}

const str = (value: unknown, fallback = '') =>
  typeof value === 'string' ? value : fallback;
const list = (value: unknown) => (Array.isArray(value) ? value : []);
const labelled = (lines: Array<[string, string | undefined]>) =>
  lines
    .filter(([, value]) => value)
    .map(([label, value]) => `${label}: ${value}`)
    .join('\n');

/**
 * The four structured capabilities of the design's AIAssistantAPI, each as a request to the model and its
 * JSON answer checked into the contract's shape (whatever the model answered, the caller gets the shape).
 */
export function structuredCapabilities(assistant: AssistantService) {
  return {
    async generateCode(
      caller: Caller,
      input: { prompt: string; entityRef?: string; service?: ServiceContext },
    ) {
      const service = input.service ?? {};
      const { meta, json, sources } = await assistant.structured(
        caller,
        'generate-code',
        {
          question: input.prompt,
          entityRef: input.entityRef,
          userContent: labelled([
            ['Request', input.prompt.replace(/\n/g, ' ')],
            ['Service', service.serviceName ?? input.entityRef],
            ['Language', service.language],
            ['Framework', service.framework],
            ['Dependencies', service.dependencies?.join(', ')],
          ]),
        },
      );
      return {
        answer: meta,
        sources,
        language: str(json.language, service.language ?? 'text'),
        code: str(json.code),
        explanation: str(json.explanation),
      };
    },

    async generateDocumentation(
      caller: Caller,
      input: { code: string; title?: string; entityRef?: string },
    ) {
      const { meta, json, sources } = await assistant.structured(
        caller,
        'generate-documentation',
        {
          question: input.title ?? sliceAtWhitespace(input.code, 500),
          entityRef: input.entityRef,
          userContent: `${input.title ? `Title: ${input.title}\n` : ''}${
            input.code
          }`,
        },
      );
      return { answer: meta, sources, markdown: str(json.markdown) };
    },

    async analyzeError(caller: Caller, error: ErrorContext) {
      const { meta, json, sources } = await assistant.structured(
        caller,
        'analyze-error',
        {
          question: `${error.message}\n${sliceAtWhitespace(
            error.stack ?? '',
            2000,
          )}`,
          entityRef: error.entityRef,
          userContent: labelled([
            ['Error', error.message],
            ['Occurred at', error.occurredAt],
            ['Service', error.entityRef],
            ['Stack', error.stack],
          ]),
        },
      );
      const byId = new Map<number, AssistantSource>(
        sources.map(s => [s.id, s]),
      );
      const hypotheses = list(json.hypotheses)
        .map((h: any) => ({
          title: str(h?.title),
          likelihood: Math.min(1, Math.max(0, Number(h?.likelihood) || 0)),
          explanation: str(h?.explanation),
          // Evidence is what was given to the model; a number it made up is dropped.
          evidence: list(h?.evidence)
            .map((id: unknown) => byId.get(Number(id)))
            .filter((s): s is AssistantSource => !!s),
        }))
        .filter(h => h.title)
        .sort((a, b) => b.likelihood - a.likelihood);
      return { answer: meta, sources, hypotheses };
    },

    async reviewCode(caller: Caller, pullRequest: PRContext) {
      const { meta, json, sources } = await assistant.structured(
        caller,
        'review-code',
        {
          question:
            `${pullRequest.title ?? ''} ${
              pullRequest.description ?? ''
            }`.trim() || 'code review',
          entityRef: pullRequest.entityRef,
          userContent: [
            labelled([
              ['Repository', pullRequest.repository],
              [
                'Pull request',
                pullRequest.number ? `#${pullRequest.number}` : undefined,
              ],
              ['Title', pullRequest.title],
              ['Description', pullRequest.description],
            ]),
            'Diff:',
            pullRequest.diff,
          ].join('\n'),
        },
      );
      const severities = ['info', 'warning', 'error'];
      const comments = list(json.comments)
        .map((c: any) => ({
          path: str(c?.path),
          line: Math.max(1, Math.floor(Number(c?.line) || 1)),
          body: str(c?.body),
          severity: severities.includes(c?.severity) ? c.severity : 'info',
        }))
        .filter(c => c.path && c.body);
      return { answer: meta, sources, summary: str(json.summary), comments };
    },
  };
}
