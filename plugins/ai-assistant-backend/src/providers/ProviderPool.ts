import OpenAI from 'openai';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { DatabaseBreakerStore } from './DatabaseBreakerStore';

export interface ProviderConfig {
  id: string;
  baseUrl: string;
  apiKey: string;
  model: string;
  contextTokens: number;
  answerTokens: number;
  firstTokenTimeoutMs: number;
  timeoutMs: number;
  headers: Record<string, string>;
}

export function readProviders(config: Config): ProviderConfig[] {
  return (config.getOptionalConfigArray('aiAssistant.providers') ?? []).map(
    provider => ({
      id: provider.getString('id'),
      baseUrl: provider.getString('baseUrl').replace(/\/+$/, ''),
      apiKey: provider.getString('apiKey'),
      model: provider.getString('model'),
      contextTokens: provider.getOptionalNumber('contextTokens') ?? 128_000,
      answerTokens: provider.getOptionalNumber('answerTokens') ?? 1500,
      firstTokenTimeoutMs:
        (provider.getOptionalNumber('firstTokenTimeoutSeconds') ?? 15) * 1000,
      timeoutMs: (provider.getOptionalNumber('timeoutSeconds') ?? 120) * 1000,
      headers: Object.fromEntries(
        Object.entries(
          provider.getOptional<Record<string, string>>('headers') ?? {},
        ),
      ),
    }),
  );
}

export interface ModelRequest {
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionTool[];
  /** Ask for a JSON object (the structured capabilities). */
  json?: boolean;
  /** Receives the answer's text as it streams; once it has, a failure can no longer move to another provider. */
  onText?: (delta: string) => Promise<void> | void;
  signal?: AbortSignal;
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ModelResult {
  provider: string;
  model: string;
  text: string;
  toolCalls: ToolCall[];
  usage: { promptTokens: number; completionTokens: number };
}

/** Answers about the request, not the provider. */
const REQUEST_ERRORS = [400, 413, 422];

/** Why one provider's attempt failed, for the answer's error and the logs. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly countsAgainstProvider: boolean,
    readonly textStarted: boolean,
  ) {
    super(message);
  }
}

const reasonOf = (error: unknown) => {
  const e = error as { status?: number; name?: string; message?: string };
  if (e.status) return `answered ${e.status}`;
  return e.message ?? String(error);
};

/**
 * The configured providers in order. A request goes to the first whose breaker lets it; an error, a
 * timeout or a stall (no first token in time, or too long a gap) moves it to the next, as long as no text
 * has reached the asker yet. Every outcome is recorded in the shared breaker.
 */
export class ProviderPool {
  private readonly clients: Map<string, OpenAI>;

  constructor(
    readonly providers: ProviderConfig[],
    private readonly breakers: DatabaseBreakerStore,
    private readonly logger: LoggerService,
  ) {
    this.clients = new Map(
      providers.map(p => [
        p.id,
        new OpenAI({
          baseURL: p.baseUrl,
          apiKey: p.apiKey,
          maxRetries: 0,
          timeout: p.timeoutMs,
          defaultHeaders: p.headers,
        }),
      ]),
    );
  }

  /** Tokens every provider can take for the prompt: the smallest context less its answer's share. */
  promptBudget(): number {
    return Math.min(
      ...this.providers.map(p => p.contextTokens - p.answerTokens),
    );
  }

  async status() {
    return Promise.all(
      this.providers.map(async p => ({
        id: p.id,
        model: p.model,
        ...(await this.breakers.position(p.id)),
      })),
    );
  }

  async complete(request: ModelRequest): Promise<ModelResult> {
    const failures: string[] = [];
    for (const provider of this.providers) {
      const pass = await this.breakers.pass(provider.id);
      if (pass === 'open') {
        failures.push(`${provider.id}: skipped, its breaker is open`);
        continue;
      }
      try {
        const result = await this.attempt(provider, request);
        await this.breakers.record(provider.id, 'success');
        return result;
      } catch (error) {
        if (request.signal?.aborted) throw error;
        const attempt =
          error instanceof AttemptError
            ? error
            : new AttemptError(reasonOf(error), true, false);
        if (attempt.countsAgainstProvider) {
          await this.breakers.record(provider.id, 'failure');
        }
        this.logger.warn(
          `AI provider ${provider.id} failed${
            pass === 'trial' ? ' its trial' : ''
          }: ${attempt.message}`,
        );
        if (!attempt.countsAgainstProvider) {
          throw new InputError(
            `The model refused the request: ${attempt.message}`,
          );
        }
        if (attempt.textStarted) {
          throw new ServiceUnavailableError(
            `The answer from ${provider.id} broke off: ${attempt.message}`,
          );
        }
        failures.push(`${provider.id}: ${attempt.message}`);
      }
    }
    throw new ServiceUnavailableError(
      `No AI provider could answer (${failures.join('; ')}); try again shortly`,
    );
  }

  private async attempt(
    provider: ProviderConfig,
    request: ModelRequest,
  ): Promise<ModelResult> {
    const controller = new AbortController();
    const abortWith = (reason: string) => controller.abort(new Error(reason));
    const onCallerAbort = () => abortWith('the asker went away');
    request.signal?.addEventListener('abort', onCallerAbort);
    let stallTimer = setTimeout(
      () =>
        abortWith(`no first token within ${provider.firstTokenTimeoutMs} ms`),
      provider.firstTokenTimeoutMs,
    );
    const total = setTimeout(
      () => abortWith(`no complete answer within ${provider.timeoutMs} ms`),
      provider.timeoutMs,
    );
    const keepAlive = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(
        () => abortWith(`stalled for ${provider.firstTokenTimeoutMs} ms`),
        provider.firstTokenTimeoutMs,
      );
    };
    let text = '';
    let textStarted = false;
    const toolCalls: ToolCall[] = [];
    let usage = { promptTokens: 0, completionTokens: 0 };
    try {
      const stream = await this.clients
        .get(provider.id)!
        .chat.completions.create(
          {
            model: provider.model,
            messages: request.messages,
            ...(request.tools && request.tools.length > 0
              ? { tools: request.tools }
              : {}),
            ...(request.json
              ? { response_format: { type: 'json_object' as const } }
              : {}),
            max_tokens: provider.answerTokens,
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: controller.signal },
        );
      for await (const chunk of stream) {
        keepAlive();
        if (chunk.usage) {
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
        }
        const delta = chunk.choices[0]?.delta;
        for (const call of delta?.tool_calls ?? []) {
          const current = (toolCalls[call.index] ??= {
            id: '',
            name: '',
            arguments: '',
          });
          if (call.id) current.id = call.id;
          if (call.function?.name) current.name += call.function.name;
          if (call.function?.arguments)
            current.arguments += call.function.arguments;
        }
        if (delta?.content) {
          text += delta.content;
          if (request.onText) {
            textStarted = true;
            await request.onText(delta.content);
          }
        }
      }
      return {
        provider: provider.id,
        model: provider.model,
        text,
        toolCalls: toolCalls.filter(Boolean),
        usage,
      };
    } catch (error) {
      const status = (error as { status?: number }).status;
      const reason = controller.signal.aborted
        ? (controller.signal.reason as Error).message
        : reasonOf(error);
      // A request a model rejects as malformed or too large would be rejected by the next one too, and
      // says nothing about the provider's health.
      throw new AttemptError(
        reason,
        !(status && REQUEST_ERRORS.includes(status)),
        textStarted,
      );
    } finally {
      clearTimeout(stallTimer);
      clearTimeout(total);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}
