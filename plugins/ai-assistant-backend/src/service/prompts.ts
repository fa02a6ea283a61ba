import { freshnessLabels } from '@internal/plugin-ai-assistant-common';

export type Capability =
  | 'chat'
  | 'generate-code'
  | 'generate-documentation'
  | 'analyze-error'
  | 'review-code';

/** A numbered source as the model sees it. */
export interface PromptSource {
  id: number;
  title: string;
  url: string;
  text: string;
}

const INSTRUCTIONS: Record<Capability, string> = {
  chat: [
    "You are the assistant of Quillstack's developer portal. Answer the question from the numbered sources below",
    'and the results of the tools you call; cite every statement with its source number in brackets, like [2].',
    'If the sources do not answer the question, say so plainly. Never invent services, owners, numbers or commands.',
    'You may call the portal tools offered to you; a tool that changes something only proposes the change to the person, who confirms it.',
  ].join(' '),
  'generate-code': [
    'You write code for a Quillstack service in its language and framework, following the conventions the sources show.',
    'Answer with a JSON object: {"language": string, "code": string, "explanation": string}.',
  ].join(' '),
  'generate-documentation': [
    'You write TechDocs (MkDocs Markdown) for the code you are given: a title, an overview and a reference of its public functions.',
    'Answer with a JSON object: {"markdown": string}.',
  ].join(' '),
  'analyze-error': [
    'You find the likely root causes of an error in a Quillstack service from its deployments, monitors, errors and runbooks in the numbered sources.',
    'Answer with a JSON object: {"hypotheses": [{"title": string, "likelihood": number between 0 and 1, "explanation": string, "evidence": [source numbers]}]}, most likely first.',
  ].join(' '),
  'review-code': [
    'You review a pull request diff for bugs, security problems and maintainability, as a senior engineer would.',
    'Answer with a JSON object: {"summary": string, "comments": [{"path": string, "line": number (in the new file), "body": string, "severity": "info" | "warning" | "error"}]}.',
  ].join(' '),
};

export function formatSources(sources: PromptSource[]): string {
  return sources
    .map(
      source =>
        `[${source.id}] ${source.title} (${source.url})\n${source.text}`,
    )
    .join('\n\n');
}

/** The system message: what to do, who asks, and the sources (already redacted and fitted to the budget). */
export function systemPrompt(
  capability: Capability,
  asker: { userRef: string; role?: string },
  sources: PromptSource[],
  now: Date = new Date(),
): string {
  const freshness = freshnessLabels();
  return [
    `Capability: ${capability}`,
    INSTRUCTIONS[capability],
    `The person asking is ${asker.userRef}${
      asker.role ? ` (role: ${asker.role})` : ''
    }. It is ${now.toISOString()}.`,
    `Operational data covers logs and errors ${freshness.logs}, metrics and monitors ${freshness.metrics}, deployments and incidents ${freshness.incidents}.`,
    '',
    sources.length > 0 ? 'Sources:' : 'No sources matched.',
    formatSources(sources),
  ].join('\n');
}

/** The system prompt's length without sources, so the sources' budget is what is left of the model's. */
export function promptOverhead(capability: Capability, userRef: string) {
  return systemPrompt(capability, { userRef, role: 'contractor-viewer' }, []);
}
