/**
 * The sandbox model: answers deterministically from what the request carries (the numbered sources in
 * its system message, tool results, the diff or code it is given), never from anything it knows itself,
 * so the assistant's grounding, citations and redaction can be checked offline.
 */

export interface ChatMessage {
  role: string;
  content?: unknown;
  name?: string;
  tool_call_id?: string;
}

export interface ToolDefinition {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters?: { properties?: Record<string, unknown>; required?: string[] };
  };
}

export interface Source {
  id: number;
  title: string;
  text: string;
}

export type ModelReply =
  | { kind: 'text'; content: string }
  | { kind: 'tool_call'; name: string; arguments: Record<string, unknown> };

const STOPWORDS = new Set(
  'the and for are but not you all any can had her was one our out day get has him his how man new now old see two way who boy did its let put say she too use why what when where which with this that from they will would there their about into than then them these some could were been have does your just like over also after before because while last night today yesterday please tell know show give service'.split(
    ' ',
  ),
);

const textOf = (content: unknown) =>
  typeof content === 'string' ? content : '';

/** Content words, lowercased, with a crude stem: what question and sources are matched on. */
export function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    .filter(w => w.length >= 3 && !STOPWORDS.has(w))
    .map(w => w.slice(0, 6));
}

/** The numbered sources of the system messages: `[n] Title` lines, each followed by its text. */
export function sourcesOf(messages: ChatMessage[]): Source[] {
  const sources: Source[] = [];
  for (const message of messages) {
    if (message.role !== 'system') continue;
    let current: Source | undefined;
    for (const line of textOf(message.content).split('\n')) {
      const header = /^\[(\d{1,3})\] (.{1,300})$/.exec(line);
      if (header) {
        current = { id: Number(header[1]), title: header[2], text: '' };
        sources.push(current);
      } else if (current) {
        current.text += `${line}\n`;
      }
    }
  }
  return sources;
}

export function capabilityOf(messages: ChatMessage[]): string {
  const system = messages.find(m => m.role === 'system');
  return (
    /^Capability: ([a-z-]{1,40})/m.exec(textOf(system?.content))?.[1] ?? 'chat'
  );
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map(s => s.trim().replace(/^[-*#>|\s]+/, ''))
    .filter(s => s.length >= 12 && s.length <= 400);
}

function overlap(a: Set<string>, text: string) {
  return new Set(wordsOf(text).filter(w => a.has(w))).size;
}

/** The sentences that share the most words with the question, one or two per source, best first. */
function bestSentences(question: string, sources: Source[], max: number) {
  const asked = new Set(wordsOf(question));
  const scored: Array<{ source: Source; sentence: string; score: number }> = [];
  for (const source of sources) {
    const titleScore = overlap(asked, source.title);
    const ranked = sentencesOf(source.text)
      .map(sentence => ({
        source,
        sentence,
        score: overlap(asked, sentence) * 2 + titleScore,
      }))
      .filter(s => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, 2);
    scored.push(...ranked);
  }
  return scored
    .sort((a, b) => b.score - a.score || a.source.id - b.source.id)
    .slice(0, max);
}

function lastUserMessage(messages: ChatMessage[]) {
  return textOf([...messages].reverse().find(m => m.role === 'user')?.content);
}

/** A tool worth calling for the question, with arguments the tool's schema asks for, if there is one. */
function toolFor(
  question: string,
  messages: ChatMessage[],
  tools: ToolDefinition[],
): ModelReply | undefined {
  if (messages.some(m => m.role === 'tool')) return undefined;
  const wants: Array<[RegExp, RegExp]> = [
    [/\b(cost|costs|spend|spending|expensive|budget)\b/i, /cost/],
    [
      /\b(deploy|deployed|deployment|healthy|health|failing|broke|broken|down|sync)\b/i,
      /health|deploy/,
    ],
    [/\b(workflow|onboard|rotate|access request)\b/i, /workflow/],
    [/\b(refresh|reload)\b/i, /refresh/],
    [/\b(who owns|owner of|details of)\b/i, /get-catalog-entity/],
  ];
  const everything = messages.map(m => textOf(m.content)).join('\n');
  const entityRef =
    /\b(?:component|api|resource|system):default\/[a-z0-9-]{1,63}\b/.exec(
      question,
    )?.[0] ??
    /\b(?:component):default\/[a-z0-9-]{1,63}\b/.exec(everything)?.[0];
  for (const [asked, named] of wants) {
    if (!asked.test(question)) continue;
    const tool = tools.find(t => named.test(t.function.name));
    if (!tool) continue;
    const required = tool.function.parameters?.required ?? [];
    const properties = Object.keys(tool.function.parameters?.properties ?? {});
    const args: Record<string, unknown> = {};
    const parts = entityRef ? /^(\w+):([\w-]+)\/(.+)$/.exec(entityRef) : null;
    for (const name of new Set([...required, ...properties])) {
      if (/entityref/i.test(name) && entityRef) args[name] = entityRef;
      if (parts && name === 'kind') args.kind = parts[1];
      if (parts && name === 'namespace') args.namespace = parts[2];
      if (parts && name === 'name') args.name = parts[3];
    }
    if (required.every(name => name in args)) {
      return { kind: 'tool_call', name: tool.function.name, arguments: args };
    }
  }
  return undefined;
}

/** Facts of a tool's JSON result as short sentences (`key: value`), for an answer to quote. */
function factsOf(json: string): string[] {
  const facts: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (facts.length >= 6) return;
    if (value === null || typeof value !== 'object') {
      if (path && String(value).length <= 120) facts.push(`${path}: ${value}`);
      return;
    }
    for (const [key, inner] of Object.entries(value).slice(0, 12)) {
      walk(inner, /^\d+$/.test(key) ? path : key);
    }
  };
  try {
    walk(JSON.parse(json), '');
  } catch {
    facts.push(json.slice(0, 200));
  }
  return facts;
}

function chatReply(messages: ChatMessage[]): string {
  const question = lastUserMessage(messages);
  const sources = sourcesOf(messages);
  const lines: string[] = [];
  for (const tool of messages.filter(m => m.role === 'tool')) {
    const facts = factsOf(textOf(tool.content));
    if (facts.length > 0) {
      lines.push(
        `According to ${tool.name ?? 'the portal'}: ${facts.join('; ')}.`,
      );
    }
  }
  const best = bestSentences(question, sources, 3);
  if (best.length === 0 && lines.length === 0) {
    return 'I could not find that in the catalog, the docs or the operational data you may see. Try naming the service or the document you mean.';
  }
  return [
    ...(best.length > 0 ? ["Here is what the portal's sources say:", ''] : []),
    ...best.map(b => `- ${b.sentence} [${b.source.id}]`),
    ...(lines.length > 0 ? ['', ...lines] : []),
  ].join('\n');
}

const camel = (words: string[]) =>
  words
    .map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1)))
    .join('') || 'handle';

function generateCode(messages: ChatMessage[]) {
  const request = lastUserMessage(messages);
  const language = (
    /^Language: ([A-Za-z+#]{1,20})/m.exec(request)?.[1] ?? 'typescript'
  ).toLowerCase();
  const what = /^Request: (.{1,500})$/m.exec(request)?.[1] ?? request;
  const name = camel(
    (what.toLowerCase().match(/[a-z]+/g) ?? [])
      .filter(w => w.length > 2 && !STOPWORDS.has(w))
      .slice(0, 3),
  );
  const Name = name[0].toUpperCase() + name.slice(1);
  const templates: Record<string, string> = {
    go: `package handlers\n\nimport (\n\t"encoding/json"\n\t"net/http"\n)\n\n// ${Name} ${what.replace(
      /\n/g,
      ' ',
    )}\nfunc ${Name}(w http.ResponseWriter, r *http.Request) {\n\tw.Header().Set("Content-Type", "application/json")\n\tif err := json.NewEncoder(w).Encode(map[string]string{"status": "ok"}); err != nil {\n\t\thttp.Error(w, err.Error(), http.StatusInternalServerError)\n\t}\n}\n`,
    java: `package com.quillstack.service;\n\nimport org.springframework.http.ResponseEntity;\nimport org.springframework.web.bind.annotation.GetMapping;\nimport org.springframework.web.bind.annotation.RestController;\n\n/** ${what.replace(
      /\n/g,
      ' ',
    )} */\n@RestController\npublic class ${Name}Controller {\n  @GetMapping("/${name}")\n  public ResponseEntity<String> ${name}() {\n    return ResponseEntity.ok("ok");\n  }\n}\n`,
    typescript: `/** ${what.replace(
      /\n/g,
      ' ',
    )} */\nexport async function ${name}(input: { id: string }): Promise<{ id: string; status: 'ok' }> {\n  if (!input.id) {\n    throw new Error('id is required');\n  }\n  return { id: input.id, status: 'ok' };\n}\n`,
  };
  const code = templates[language] ?? templates.typescript;
  return {
    language: templates[language] ? language : 'typescript',
    code,
    explanation: `A starting point for "${what.slice(
      0,
      120,
    )}" in the service's ${language} conventions; wire it into the router and add tests.`,
  };
}

const DECLARATIONS = [
  /^\s*(?:export\s+)?(?:async\s+)?function\s+([A-Za-z_$][\w$]{0,80})\s*\(([^)]{0,200})\)/,
  /^\s*func\s+(?:\([^)]{0,80}\)\s*)?([A-Za-z_]\w{0,80})\s*\(([^)]{0,200})\)/,
  /^\s*(?:public|protected)\s+(?:static\s+)?(?:[\w<>,[\]]{1,60}\s+){1,3}([a-z]\w{0,80})\s*\(([^)]{0,200})\)/,
  /^\s*def\s+([a-z_]\w{0,80})\s*\(([^)]{0,200})\)/,
];

function generateDocumentation(messages: ChatMessage[]) {
  const code = lastUserMessage(messages);
  const title = /^Title: (.{1,120})$/m.exec(code)?.[1] ?? 'Module reference';
  const entries: string[] = [];
  let comment: string[] = [];
  for (const raw of code.split('\n')) {
    const line = raw.slice(0, 500);
    const text = /^\s*(?:\/\/\/?|#|\*|\/\*\*)\s?(.*?)\s*(?:\*\/)?$/.exec(line);
    if (text && !/^\s*#include/.test(line)) {
      if (text[1]) comment.push(text[1]);
      continue;
    }
    const declaration = DECLARATIONS.map(d => d.exec(line)).find(Boolean);
    if (declaration) {
      entries.push(
        `### \`${declaration[1]}(${declaration[2].trim()})\`\n\n${
          comment.join(' ') || `What \`${declaration[1]}\` does.`
        }\n`,
      );
    }
    if (line.trim() !== '') comment = [];
  }
  const markdown = [
    `# ${title}`,
    '',
    '## Overview',
    '',
    `This page documents ${entries.length} function${
      entries.length === 1 ? '' : 's'
    }, generated from the code and marked AI-generated: review it before publishing.`,
    '',
    '## Reference',
    '',
    ...(entries.length > 0
      ? entries
      : ['No functions were found in the code.\n']),
  ].join('\n');
  return { markdown };
}

function analyzeError(messages: ChatMessage[]) {
  const error = lastUserMessage(messages);
  const asked = new Set(wordsOf(error));
  const sources = sourcesOf(messages)
    .map(source => ({
      source,
      score:
        overlap(asked, `${source.title}\n${source.text}`) +
        (/deploy|sync|rollout/i.test(source.title) ? 1 : 0),
    }))
    .filter(s => s.score > 0)
    .sort((a, b) => b.score - a.score || a.source.id - b.source.id)
    .slice(0, 3);
  const total = sources.reduce((sum, s) => sum + s.score, 0);
  const hypotheses = sources.map(({ source, score }) => {
    const first = sentencesOf(source.text)[0] ?? source.title;
    return {
      title: `${source.title}: ${first}`.slice(0, 160),
      likelihood: Math.round((score / total) * 100) / 100,
      explanation: `The error shares ${score} signal${
        score === 1 ? '' : 's'
      } with this source: ${first}`,
      evidence: [source.id],
    };
  });
  return {
    hypotheses:
      hypotheses.length > 0
        ? hypotheses
        : [
            {
              title: 'Not enough evidence in the data you may see',
              likelihood: 1,
              explanation:
                'No deployment, monitor, error or document matched this error. Add the stack trace or the service.',
              evidence: [],
            },
          ],
  };
}

const REVIEW_RULES: Array<{
  test: (line: string) => boolean;
  severity: string;
  body: string;
}> = [
  {
    test: line =>
      /console\.log\(|System\.out\.println|fmt\.Println\(/.test(line),
    severity: 'warning',
    body: "Printing to stdout bypasses the service's structured logger; use the logger so the line reaches Datadog with the request context.",
  },
  {
    test: line =>
      /catch\s*\([^)]{0,80}\)\s*\{\s*\}|except:\s*pass|catch\s*\{\s*\}/.test(
        line,
      ),
    severity: 'error',
    body: 'An empty catch hides the failure; log it or let it propagate.',
  },
  {
    test: line =>
      /\b(select|insert|update|delete)\b/i.test(line) &&
      /\+\s*\w|\$\{/.test(line),
    severity: 'error',
    body: 'SQL built by concatenation is open to injection; use a parameterised query.',
  },
  {
    // The portal redacts secrets before a diff leaves it; the marker says one was committed.
    test: line =>
      /\b(password|secret|api_?key)\b\s*[:=]\s*["'`]/i.test(line) ||
      /\[REDACTED:[a-z-]{1,40}\]/.test(line),
    severity: 'error',
    body: 'A credential in the code: read it from the environment or the secrets store instead.',
  },
  {
    test: line => /:\s*any\b|\bas any\b/.test(line),
    severity: 'info',
    body: 'An `any` turns off type checking here; a narrower type would catch mistakes.',
  },
  {
    test: line => /\b(TODO|FIXME)\b/.test(line),
    severity: 'info',
    body: 'A TODO in new code: link an issue so it is not forgotten.',
  },
];

function reviewCode(messages: ChatMessage[]) {
  const request = lastUserMessage(messages);
  const comments: Array<{
    path: string;
    line: number;
    body: string;
    severity: string;
  }> = [];
  let path = '';
  let line = 0;
  const files = new Set<string>();
  for (const raw of request.split('\n')) {
    const text = raw.slice(0, 1000);
    const file = /^\+\+\+ (?:b\/)?(\S{1,300})/.exec(text);
    if (file) {
      path = file[1];
      files.add(path);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (!path || text.startsWith('---')) continue;
    if (text.startsWith('+')) {
      for (const rule of REVIEW_RULES) {
        if (rule.test(text.slice(1))) {
          comments.push({
            path,
            line,
            body: rule.body,
            severity: rule.severity,
          });
        }
      }
      line++;
    } else if (!text.startsWith('-')) {
      line++;
    }
  }
  const errors = comments.filter(c => c.severity === 'error').length;
  return {
    summary:
      comments.length === 0
        ? `Reviewed ${files.size} file${
            files.size === 1 ? '' : 's'
          }: nothing to flag.`
        : `Reviewed ${files.size} file${files.size === 1 ? '' : 's'}: ${
            comments.length
          } comment${
            comments.length === 1 ? '' : 's'
          }, ${errors} to fix before merging.`,
    comments,
  };
}

/** What the sandbox model answers to a chat completion request. */
export function replyTo(
  messages: ChatMessage[],
  tools: ToolDefinition[] = [],
): ModelReply {
  const capability = capabilityOf(messages);
  const json = (value: unknown): ModelReply => ({
    kind: 'text',
    content: JSON.stringify(value),
  });
  switch (capability) {
    case 'generate-code':
      return json(generateCode(messages));
    case 'generate-documentation':
      return json(generateDocumentation(messages));
    case 'analyze-error':
      return json(analyzeError(messages));
    case 'review-code':
      return json(reviewCode(messages));
    default:
      return (
        toolFor(lastUserMessage(messages), messages, tools) ?? {
          kind: 'text',
          content: chatReply(messages),
        }
      );
  }
}

/** A deterministic bag-of-words embedding (hashing trick), unit length: similar texts are close. */
export function embeddingOf(text: string, dimensions = 256): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of wordsOf(text)) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) {
      hash = Math.imul(hash ^ word.charCodeAt(i), 16777619);
    }
    vector[(hash >>> 0) % dimensions] += 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0)) || 1;
  return vector.map(v => v / norm);
}
