/* eslint-disable no-console */
// Time to the first streamed token of an answer about invoice-service: through the portal (the development
// backend with every plugin: sign-in, ai.use through the security policy, the per-user rate in the database,
// retrieval, the service's live data, the sensitive-content filter on the prompt and the stream) beside the
// same requests sent straight to the model (the sandbox emulator, 15 ms per token), in the same run: when the
// model first asks for a tool, its whole answer to that round counts as the model's time too.
// Target: the portal adds at most 50 ms. Run from the repository root: yarn bench:ai-ttft
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  SANDBOX_CREDENTIALS,
  startModelEmulator,
  startSandbox,
} from '@internal/sandbox';
import { startDevelopmentBackend, until } from './developmentBackend';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const TARGET_OVERHEAD_MS = 50;
/**
 * Two questions about invoice-service. The first is answered from the context the portal assembles; on the
 * second the model first asks for a tool (service-health's deployments), which the portal runs as the asker.
 * The target is for the first; the second shows what a tool round adds.
 */
const QUESTIONS = [
  {
    label: 'from context',
    question:
      'How does invoice-service finalise an invoice, and what does it depend on?',
    target: true,
  },
  {
    label: 'with a tool round',
    question:
      'Why are invoices failing to finalise, and what should I check first?',
    target: false,
  },
];
const ENTITY_REF = 'component:default/invoice-service';

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** Milliseconds from sending the request to the first chunk that `isFirstToken` recognises. */
async function timeToFirstToken(
  url: string,
  init: RequestInit,
  isFirstToken: (text: string) => boolean,
) {
  const started = performance.now();
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(
      `${url} answered ${response.status}: ${await response.text()}`,
    );
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  let first: number | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    if (first === undefined && isFirstToken(seen))
      first = performance.now() - started;
  }
  if (first === undefined)
    throw new Error(`no token from ${url}: ${seen.slice(0, 500)}`);
  return first;
}

async function main() {
  const sandbox = await startSandbox();
  const model = await startModelEmulator();
  await model.control({ tokenDelayMs: 15 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-bench-'));
  const config = path.join(dir, 'app-config.bench.yaml');
  fs.writeFileSync(
    config,
    stringify({
      aiAssistant: {
        providers: [
          {
            id: 'bench',
            baseUrl: `${model.url}/v1`,
            apiKey: SANDBOX_CREDENTIALS.llmApiKey,
            model: 'gpt-4o-mini',
            contextTokens: 16000,
          },
        ],
        requestsPerMinute: 10_000,
        retrieval: { catalogCheckSeconds: 2 },
      },
    }),
  );
  const { base, token, stop } = await startDevelopmentBackend(7430, [config]);
  const chatRequest = (question: string): RequestInit => ({
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ question, entityRef: ENTITY_REF }),
  });
  await until(async () => {
    const body = await (
      await fetch(
        `${base}/api/ai-assistant/chat`,
        chatRequest(QUESTIONS[0].question),
      )
    ).text();
    return body.includes('"kind":"entity"') && body.includes('event: done')
      ? true
      : undefined;
  }, 'the assistant index');

  const modelRequest = (body: unknown): RequestInit => ({
    method: 'POST',
    headers: {
      authorization: `Bearer ${SANDBOX_CREDENTIALS.llmApiKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  let met = true;
  for (const { label, question, target } of QUESTIONS) {
    const portal: number[] = [];
    const direct: number[] = [];
    let rounds = 0;
    for (let i = 0; i < RUNS; i++) {
      await fetch(`${model.url}/__requests`, { method: 'DELETE' });
      portal.push(
        await timeToFirstToken(
          `${base}/api/ai-assistant/chat`,
          chatRequest(question),
          text => text.includes('event: token'),
        ),
      );
      // The very requests the portal just sent the model, sent again straight to it: a round in which the
      // model asked for a tool, to its end (the portal needs all of it), then the answer to its first token.
      const sent = (
        JSON.parse(await model.requestLog()) as Array<{
          path: string;
          body: unknown;
        }>
      )
        .filter(request => request.path.endsWith('/chat/completions'))
        .map(request => request.body);
      rounds = sent.length;
      let modelMs = 0;
      for (const body of sent.slice(0, -1)) {
        const started = performance.now();
        await (
          await fetch(`${model.url}/v1/chat/completions`, modelRequest(body))
        ).text();
        modelMs += performance.now() - started;
      }
      direct.push(
        modelMs +
          (await timeToFirstToken(
            `${model.url}/v1/chat/completions`,
            modelRequest(sent.at(-1)),
            text => /"content":"[^"]/.test(text),
          )),
      );
    }
    const overhead = percentile(portal, 50) - percentile(direct, 50);
    if (target) met &&= overhead <= TARGET_OVERHEAD_MS;
    console.log(
      `${label} (${rounds} model request${rounds === 1 ? '' : 's'}):`,
    );
    console.log(
      `  straight to the model:  p50 ${percentile(direct, 50).toFixed(
        1,
      )} ms  p95 ${percentile(direct, 95).toFixed(1)} ms`,
    );
    console.log(
      `  through the portal:     p50 ${percentile(portal, 50).toFixed(
        1,
      )} ms  p95 ${percentile(portal, 95).toFixed(1)} ms`,
    );
    console.log(
      `  the portal adds ${overhead.toFixed(1)} ms at p50 (${(
        percentile(portal, 50) / percentile(direct, 50)
      ).toFixed(2)}x${
        target
          ? `; target <= ${TARGET_OVERHEAD_MS} ms: ${
              overhead <= TARGET_OVERHEAD_MS ? 'met' : 'NOT met'
            }`
          : ''
      }); ${RUNS} questions each, one at a time`,
    );
  }
  await stop();
  await model.stop();
  await sandbox.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(met ? 0 : 1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
