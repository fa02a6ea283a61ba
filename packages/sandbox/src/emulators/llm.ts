import express from 'express';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { DemoCatalog } from '../demoCatalog';
import { ChatMessage, embeddingOf, replyTo } from './llmModel';
import { SANDBOX_CREDENTIALS, bearerToken } from '../credentials';
import { seededHex } from '../seeded';

export const SANDBOX_MODELS = ['gpt-4o-mini', 'sandbox-small'];
export const SANDBOX_EMBEDDING_MODEL = 'sandbox-embed';

function openAiError(
  res: express.Response,
  status: number,
  message: string,
  param: string | null,
  code: string | null,
) {
  res.status(status).json({
    error: { message, type: 'invalid_request_error', param, code },
  });
}

function modelNotFound(res: express.Response, model: unknown) {
  openAiError(
    res,
    404,
    `The model \`${model}\` does not exist or you do not have access to it.`,
    'model',
    'model_not_found',
  );
}

/** Rough token count: about four characters per token, as OpenAI's tokenizer averages on English. */
function approximateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** How a test or a person at the sandbox makes the model misbehave: POST /__control. */
export interface LlmControl {
  /** ok: answer; fail: answer `status` with an OpenAI error; stall: accept and never answer. */
  mode: 'ok' | 'fail' | 'stall';
  status: number;
  /** How many requests the mode applies to before it returns to ok; unset: until changed. */
  remaining?: number;
  /** Pause between streamed chunks. */
  tokenDelayMs: number;
}

const MAX_LOGGED_REQUESTS = 200;

/** The streamed pieces of a reply: a word with the space after it, as a model streams tokens. */
function piecesOf(content: string) {
  return content.match(/\S+\s*|\s+/g) ?? [];
}

/**
 * An OpenAI-compatible model: POST /v1/chat/completions (streamed or not, with tool calls),
 * POST /v1/embeddings and GET /v1/models. It answers deterministically from the request (llmModel.ts).
 * POST /__control makes it fail or stall; GET /__requests shows what it was sent (for redaction tests).
 */
export function llmEmulator(_catalog?: DemoCatalog) {
  const app = express();
  app.use(express.json({ limit: '8mb' }));
  const control: LlmControl = { mode: 'ok', status: 500, tokenDelayMs: 15 };
  const requests: Array<{ at: string; path: string; body: unknown }> = [];

  app.post('/__control', (req, res) => {
    Object.assign(
      control,
      { mode: 'ok', status: 500, remaining: undefined },
      req.body,
    );
    res.json(control);
  });
  app.get('/__requests', (_req, res) => {
    res.json({ items: requests });
  });
  app.delete('/__requests', (_req, res) => {
    requests.length = 0;
    res.status(204).end();
  });

  app.use((req, res, next) => {
    if (
      bearerToken(req.header('authorization')) !== SANDBOX_CREDENTIALS.llmApiKey
    ) {
      res.status(401).json({
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
      return;
    }
    requests.push({
      at: new Date().toISOString(),
      path: req.path,
      body: req.body,
    });
    if (requests.length > MAX_LOGGED_REQUESTS) requests.shift();
    if (control.mode !== 'ok') {
      const mode = control.mode;
      if (control.remaining !== undefined && --control.remaining <= 0) {
        control.mode = 'ok';
        control.remaining = undefined;
      }
      if (mode === 'stall') return; // never answers: the caller's timeout decides
      openAiError(
        res,
        control.status,
        'The server had an error while processing your request.',
        null,
        'server_error',
      );
      return;
    }
    next();
  });

  app.get('/v1/models', (_req, res) => {
    res.json({
      object: 'list',
      data: [...SANDBOX_MODELS, SANDBOX_EMBEDDING_MODEL].map(id => ({
        id,
        object: 'model',
        created: 1_715_367_049,
        owned_by: 'sandbox',
      })),
    });
  });

  app.post('/v1/embeddings', (req, res) => {
    const { model, input } = req.body ?? {};
    if (model !== SANDBOX_EMBEDDING_MODEL) {
      modelNotFound(res, model);
      return;
    }
    const inputs: unknown[] = Array.isArray(input) ? input : [input];
    if (inputs.length === 0 || inputs.some(i => typeof i !== 'string')) {
      openAiError(
        res,
        400,
        "'input' must be a string or an array of strings",
        'input',
        null,
      );
      return;
    }
    const texts = inputs as string[];
    const tokens = texts.reduce((sum, t) => sum + approximateTokens(t), 0);
    res.json({
      object: 'list',
      model,
      data: texts.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: embeddingOf(text),
      })),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  });

  app.post('/v1/chat/completions', async (req, res) => {
    const { model, messages, tools, stream } = req.body ?? {};
    if (typeof model !== 'string' || model === '') {
      openAiError(
        res,
        400,
        'you must provide a model parameter',
        'model',
        null,
      );
      return;
    }
    if (!SANDBOX_MODELS.includes(model)) {
      modelNotFound(res, model);
      return;
    }
    if (!Array.isArray(messages) || messages.length === 0) {
      openAiError(
        res,
        400,
        "'messages' must be a non-empty array",
        'messages',
        null,
      );
      return;
    }
    const prompt = (messages as ChatMessage[])
      .map(m => (typeof m.content === 'string' ? m.content : ''))
      .join('\n');
    const reply = replyTo(messages, Array.isArray(tools) ? tools : []);
    const id = `chatcmpl-${seededHex(24, model, prompt)}`;
    const created = Math.floor(Date.now() / 1000);
    const toolCall =
      reply.kind === 'tool_call'
        ? {
            id: `call_${seededHex(24, reply.name, prompt)}`,
            type: 'function' as const,
            function: {
              name: reply.name,
              arguments: JSON.stringify(reply.arguments),
            },
          }
        : undefined;
    const content = reply.kind === 'text' ? reply.content : null;
    const promptTokens = approximateTokens(prompt);
    const completionTokens = approximateTokens(
      content ?? JSON.stringify(toolCall),
    );
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const finishReason = toolCall ? 'tool_calls' : 'stop';
    if (!stream) {
      res.json({
        id,
        object: 'chat.completion',
        created,
        model,
        system_fingerprint: 'fp_sandbox',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content,
              refusal: null,
              ...(toolCall ? { tool_calls: [toolCall] } : {}),
            },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
      });
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    const chunk = (delta: object, finish: string | null, extra: object = {}) =>
      res.write(
        `data: ${JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          system_fingerprint: 'fp_sandbox',
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
          ...extra,
        })}\n\n`,
      );
    chunk({ role: 'assistant', content: '' }, null);
    if (toolCall) {
      chunk({ tool_calls: [{ index: 0, ...toolCall }] }, null);
    } else {
      for (const piece of piecesOf(content ?? '')) {
        if (closed) return;
        if (control.tokenDelayMs > 0) {
          await new Promise(resolve =>
            setTimeout(resolve, control.tokenDelayMs),
          );
        }
        chunk({ content: piece }, null);
      }
    }
    chunk({}, finishReason);
    if (req.body.stream_options?.include_usage) {
      res.write(
        `data: ${JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [],
          usage,
        })}\n\n`,
      );
    }
    res.write('data: [DONE]\n\n');
    res.end();
  });
  return app;
}

/**
 * The sandbox model alone on a free port, for tests: its URL, POST /__control as a function (token delay
 * 0 unless told), and everything it was sent as one JSON text.
 */
export async function startModelEmulator() {
  const server: Server = await new Promise(resolve => {
    const s = llmEmulator().listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const control = async (body: Partial<LlmControl>) => {
    await fetch(`${url}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tokenDelayMs: 0, ...body }),
    });
  };
  await control({});
  return {
    url,
    control,
    requestLog: async () =>
      JSON.stringify((await (await fetch(`${url}/__requests`)).json()).items),
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
