/* eslint-disable no-console */
// Time to the first streamed token of an answer about invoice-service: through the portal (the development
// backend with every plugin: sign-in, ai.use through the security policy, the per-user rate in the database,
// retrieval, the service's live data, the sensitive-content filter on the prompt and the stream) beside the
// same request sent straight to the model (the sandbox emulator, 15 ms per token), in the same run.
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
const QUESTION = {
  question:
    'Why are invoices failing to finalise, and what should I check first?',
  entityRef: 'component:default/invoice-service',
};

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
  const chat = {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(QUESTION),
  };
  await until(async () => {
    const body = await (
      await fetch(`${base}/api/ai-assistant/chat`, chat)
    ).text();
    return body.includes('"kind":"entity"') && body.includes('event: done')
      ? true
      : undefined;
  }, 'the assistant index');

  const portal: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    portal.push(
      await timeToFirstToken(`${base}/api/ai-assistant/chat`, chat, text =>
        text.includes('event: token'),
      ),
    );
    // The very request the portal just sent the model, sent again straight to it.
    const log = JSON.parse(await model.requestLog());
    const sent = log.at(-1).body;
    direct.push(
      await timeToFirstToken(
        `${model.url}/v1/chat/completions`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${SANDBOX_CREDENTIALS.llmApiKey}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(sent),
        },
        text => /"content":"[^"]/.test(text),
      ),
    );
  }
  const overhead = percentile(portal, 50) - percentile(direct, 50);
  console.log(
    `straight to the model:  p50 ${percentile(direct, 50).toFixed(
      1,
    )} ms  p95 ${percentile(direct, 95).toFixed(1)} ms`,
  );
  console.log(
    `through the portal:     p50 ${percentile(portal, 50).toFixed(
      1,
    )} ms  p95 ${percentile(portal, 95).toFixed(1)} ms`,
  );
  console.log(
    `the portal adds ${overhead.toFixed(1)} ms at p50 (${(
      percentile(portal, 50) / percentile(direct, 50)
    ).toFixed(2)}x; target <= ${TARGET_OVERHEAD_MS} ms: ${
      overhead <= TARGET_OVERHEAD_MS ? 'met' : 'NOT met'
    }); ${RUNS} questions each, one at a time`,
  );
  await stop();
  await model.stop();
  await sandbox.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(overhead <= TARGET_OVERHEAD_MS ? 0 : 1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
