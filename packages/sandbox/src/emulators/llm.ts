import express from 'express';
import { DemoCatalog, DemoComponent } from '../demoCatalog';
import { SANDBOX_CREDENTIALS, bearerToken } from '../credentials';
import { seededHex } from '../seeded';

export const SANDBOX_MODELS = ['gpt-4o-mini', 'sandbox-small'];

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

function describe(component: DemoComponent): string {
  const lines = [
    `**${component.name}** is ${
      /^[aeiou]/.test(component.lifecycle) ? 'an' : 'a'
    } ${component.lifecycle} ${component.type} in the *${
      component.system
    }* system, owned by ${component.owner}.`,
    component.description,
  ];
  if (component.dependsOn.length > 0) {
    lines.push(`It depends on ${component.dependsOn.join(', ')}.`);
  }
  if (component.consumesApis.length > 0) {
    lines.push(`It calls ${component.consumesApis.join(', ')}.`);
  }
  lines.push(
    'If it is failing, check its Argo CD application and Datadog monitors first, then the dependencies above.',
  );
  return lines.join('\n\n');
}

/** Rough token count: about four characters per token, as OpenAI's tokenizer averages on English. */
function approximateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * An OpenAI-compatible chat endpoint: POST /v1/chat/completions and GET /v1/models.
 * It answers deterministically from the demo catalog, so the assistant has real-looking replies offline.
 */
export function llmEmulator(catalog: DemoCatalog) {
  const app = express();
  app.use(express.json({ limit: '2mb' }));

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
    next();
  });

  app.get('/v1/models', (_req, res) => {
    res.json({
      object: 'list',
      data: SANDBOX_MODELS.map(id => ({
        id,
        object: 'model',
        created: 1_715_367_049,
        owned_by: 'sandbox',
      })),
    });
  });

  app.post('/v1/chat/completions', (req, res) => {
    const { model, messages } = req.body ?? {};
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
      openAiError(
        res,
        404,
        `The model \`${model}\` does not exist or you do not have access to it.`,
        'model',
        'model_not_found',
      );
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
    const prompt = messages
      .map((m: { content?: unknown }) =>
        typeof m.content === 'string' ? m.content : '',
      )
      .join('\n');
    const lastUser = [...messages]
      .reverse()
      .find((m: { role?: string }) => m.role === 'user');
    const question =
      typeof lastUser?.content === 'string' ? lastUser.content : '';
    const mentioned = catalog.components.filter(c => question.includes(c.name));
    const content =
      mentioned.length > 0
        ? mentioned.map(describe).join('\n\n---\n\n')
        : `I can answer questions about Quillstack's services, for example ${catalog.components
            .slice(0, 3)
            .map(c => c.name)
            .join(', ')}. Name a service in your question.`;
    const promptTokens = approximateTokens(prompt);
    const completionTokens = approximateTokens(content);
    res.json({
      id: `chatcmpl-${seededHex(24, model, prompt)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      system_fingerprint: 'fp_sandbox',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    });
  });
  return app;
}
