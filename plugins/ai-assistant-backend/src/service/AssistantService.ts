import { randomUUID } from 'node:crypto';
import {
  AuthService,
  BackstageCredentials,
  CacheService,
  DiscoveryService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import {
  aiPromptCreatePermission,
  AnswerMeta,
  AssistantSource,
  CachedSuggestion,
  ChatEvent,
  ContextItem,
  fitToBudget,
  tokensOf,
} from '@internal/plugin-ai-assistant-common';
import { createServiceHealthApiClient } from '@internal/plugin-service-health-common';
import {
  cachedReadableEntitiesOf,
  cachedReadableRefsOf,
  SecurityAccessService,
  SecurityAuditService,
  SensitiveContentFilter,
} from '@internal/plugin-security-node';
import {
  AnswerStore,
  FeedbackRating,
  StoredSource,
} from '../database/AnswerStore';
import { DatabaseRateLimitStore } from '../database/DatabaseRateLimitStore';
import { ModelResult, ProviderPool } from '../providers/ProviderPool';
import { StreamRedactor } from '../redaction/StreamRedactor';
import { ChunkStore } from '../retrieval/ChunkStore';
import {
  entityDocumentOf,
  entityTextFor,
  entityUrl,
} from '../retrieval/entityDocument';
import { PRIVATE_REF_PREFIX } from '../retrieval/RetrievalIndexer';
import { EmbeddingsClient } from '../retrieval/EmbeddingsClient';
import { RetrievalIndexer } from '../retrieval/RetrievalIndexer';
import { ActionTools, MAX_TOOL_RESULT_CHARS } from '../tools/ActionTools';
import {
  operationalSources,
  OperationalSignals,
} from '../context/operationalContext';
import { Capability, promptOverhead, systemPrompt } from './prompts';

export interface Caller {
  credentials: BackstageCredentials;
  /** The user, or `service:<subject>` for a service (the golden paths' CI asking for a review). */
  userRef: string;
  /** A service is told nothing from the catalog or the docs: it gets the model's view of what it sent. */
  service?: boolean;
}

/** More requests than a person may make in a minute: 429 with when to try again. */
export class TooManyRequestsError extends Error {
  name = 'TooManyRequestsError';
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

export interface ChatInput {
  question: string;
  entityRef?: string;
  history?: Array<{ role: 'user' | 'assistant'; content: string }>;
}

export interface AssistantOptions {
  pool: ProviderPool;
  chunks: ChunkStore;
  /** The embeddings model, when one is configured: questions are embedded to rank by meaning too. */
  embeddings?: EmbeddingsClient;
  indexer: RetrievalIndexer;
  answers: AnswerStore;
  rateLimits: DatabaseRateLimitStore;
  tools: ActionTools;
  catalog: CatalogService;
  cache: CacheService;
  auth: AuthService;
  discovery: DiscoveryService;
  permissions: PermissionsService;
  access: SecurityAccessService;
  audit: SecurityAuditService;
  filter: SensitiveContentFilter;
  logger: LoggerService;
  requestsPerMinute: number;
  retrievalChunks: number;
  proposalTtlMs?: number;
}

/** A source with what only the server keeps: which entities a reader of it must be able to read. */
interface ContextSource extends ContextItem {
  title: string;
  url: string;
  kind: AssistantSource['kind'];
  requiredRefs: string[];
  entityRef?: string;
}

/** The entity a tool was asked about: an entityRef, or a name with kind and namespace. */
export function entityRefOfToolInput(input: Record<string, unknown>) {
  try {
    if (typeof input.entityRef === 'string') {
      return stringifyEntityRef(
        parseEntityRef(input.entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        }),
      );
    }
    if (typeof input.name === 'string') {
      return stringifyEntityRef({
        kind: typeof input.kind === 'string' ? input.kind : 'component',
        namespace:
          typeof input.namespace === 'string' ? input.namespace : 'default',
        name: input.name,
      });
    }
  } catch {
    // Not an entity: the result stays the asker's own.
  }
  return undefined;
}

/** A context source numbered for citation. */
type NumberedSource = Omit<ContextSource, 'id'> & { id: number };

/** A chat can call tools in this many rounds before it must answer, and this many tools in all. */
/** How long an entity read for a question is reused (its readers are checked on each question). */
const ENTITY_TTL_MS = 60_000;
/** Helpful answers offered when no provider can answer. */
const CACHED_SUGGESTIONS = 3;
const MAX_TOOL_ROUNDS = 3;
const MAX_TOOL_CALLS = 8;
/** Tokens kept free in the prompt for the question, the history and tool results. */
const PROMPT_RESERVE_TOKENS = 3000;

/**
 * The assistant: who may ask (ai.use through the security policy, a per-user rate across replicas), what
 * it may be told (only what the asker may read: retrieval filtered by the catalog's answer for them,
 * operational data and tools fetched with their own credentials), what leaves the portal (every prompt
 * and answer through the sensitive-content filter), and what is kept (every interaction audited).
 */
export class AssistantService {
  constructor(private readonly options: AssistantOptions) {}

  /** ai.use for the caller, as the security policy decides (403 and audited otherwise). */
  async authorize(caller: Caller, capability: string) {
    const { permissions, audit } = this.options;
    const [decision] = await permissions.authorize(
      [{ permission: aiPromptCreatePermission }],
      { credentials: caller.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      await audit.record({
        actorRef: caller.userRef,
        action: 'ai.use',
        outcome: 'denied',
        details: {
          capability,
          reason: 'the security policy does not allow ai.use',
        },
      });
      throw new NotAllowedError(
        'Your role may not use the AI assistant (ai.use); ask a platform admin if you need it',
      );
    }
  }

  /** ai.use for the caller, and one more request in their minute. */
  async admit(caller: Caller, capability: string) {
    const { rateLimits, requestsPerMinute } = this.options;
    await this.authorize(caller, capability);
    const { requests, secondsLeft } = await rateLimits.hit(caller.userRef);
    if (requests > requestsPerMinute) {
      throw new TooManyRequestsError(
        `You have asked ${requestsPerMinute} times this minute, the most allowed; try again in ${secondsLeft} s`,
        secondsLeft,
      );
    }
  }

  /**
   * What the asker sends may take at most half the smallest provider's prompt budget: the rest is for the
   * sources. Beyond that, a 400 here rather than a provider's rejection (or stall) counted against it.
   */
  private checkSize(askerTokens: number) {
    const allowed = Math.floor(this.options.pool.promptBudget() / 2);
    if (askerTokens > allowed) {
      throw new InputError(
        `That is ${askerTokens} tokens, more than the ${allowed} the assistant takes at once; shorten it or send a part`,
      );
    }
  }

  private normalisedRef(entityRef: string) {
    try {
      return stringifyEntityRef(
        parseEntityRef(entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      throw new InputError(
        `entityRef ${entityRef} is not an entity reference, e.g. component:default/invoice-service`,
      );
    }
  }

  /**
   * The entity, when the asker may read it (the catalog's answer for them, as retrieval uses it). A version
   * is the same for every reader, so it is read once with the plugin's credentials and kept a minute under
   * its etag: a reader gets only the version they were allowed to see. When the catalog holds a newer one,
   * it is read again with the asker's own credentials (the catalog decides live, as it did before caching).
   */
  private async entityFor(
    readable: Promise<ReadonlyMap<string, string>>,
    credentials: BackstageCredentials,
    ref: string,
  ) {
    const { cache, catalog, auth } = this.options;
    const readableEntities = await readable;
    // Missing and hidden answer alike.
    const missing = () => new NotFoundError(`No entity ${ref} in the catalog`);
    const etag = readableEntities.get(ref);
    if (etag === undefined) throw missing();
    const key = `entity:${ref}:${etag}`;
    const cached = (await cache.get(key).catch(() => undefined)) as
      | Entity
      | undefined;
    if (cached) return cached;
    const entity = await catalog.getEntityByRef(ref, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (!entity) throw missing();
    if (entity.metadata.etag !== etag) {
      const asAsker = await catalog.getEntityByRef(ref, { credentials });
      if (!asAsker) throw missing();
      return asAsker;
    }
    await cache
      .set(key, entity as unknown as JsonObject, { ttl: ENTITY_TTL_MS })
      .catch(() => undefined);
    return entity;
  }

  private async operationalOf(caller: Caller, entityRef: string, name: string) {
    const { auth, discovery } = this.options;
    // One token, as the asker, for the three reads.
    const [baseUrl, { token }] = await Promise.all([
      discovery.getBaseUrl('service-health'),
      auth.getPluginRequestToken({
        onBehalfOf: caller.credentials,
        targetPluginId: 'service-health',
      }),
    ]);
    const client = createServiceHealthApiClient(baseUrl, async (url, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(url, {
        ...init,
        headers,
        signal: AbortSignal.timeout(10_000),
      });
    });
    const read = async <T>(path: '/deployments' | '/monitors' | '/errors') => {
      // A signal the service has no annotation for, or an upstream that is down: the answer goes on without it.
      try {
        const { data } = await client.GET(path, {
          params: { query: { entityRef } },
        });
        return data as T | undefined;
      } catch {
        return undefined;
      }
    };
    const [deployments, monitors, errors] = await Promise.all([
      read<OperationalSignals['deployments']>('/deployments'),
      read<OperationalSignals['monitors']>('/monitors'),
      read<OperationalSignals['errors']>('/errors'),
    ]);
    return operationalSources(entityUrl(entityRef), name, {
      deployments,
      monitors,
      errors,
    });
  }

  /**
   * What the model is told for a question: the entity asked about, its operational data, and the chunks
   * retrieved for the question, all of them readable by the asker, redacted, cut to the model's budget
   * by priority, and numbered for citation.
   */
  /**
   * The question's embedding, from its redacted text (it leaves the portal); undefined without an
   * embeddings model, or when the model fails or is late: the question is then answered from full text.
   */
  private async questionVectorOf(question: string) {
    const { embeddings, filter, logger } = this.options;
    if (!embeddings) return undefined;
    try {
      const [vector] = await embeddings.embed([
        (await filter.filter(question)).text,
      ]);
      return { model: embeddings.model, vector };
    } catch (error) {
      logger.warn(
        `Embeddings model ${embeddings.model} failed, answering from full text: ${error}`,
      );
      return undefined;
    }
  }

  private async contextFor(
    caller: Caller,
    capability: Capability,
    question: string,
    entityRef: string | undefined,
    extraTokens: number,
  ) {
    const { catalog, cache, chunks, retrievalChunks, pool, filter } =
      this.options;
    const items: ContextSource[] = [];
    if (caller.service) return { sources: [], entityRef: undefined };
    const ref = entityRef ? this.normalisedRef(entityRef) : undefined;
    const readableEntities = cachedReadableEntitiesOf(
      cache,
      catalog,
      caller.credentials,
    );
    const readable = readableEntities.then(
      entities => new Set(entities.keys()) as ReadonlySet<string>,
    );
    const name = ref ? parseEntityRef(ref).name : undefined;
    // All at once: the entity (404 when the asker may not see it), its live data (the service-health
    // plugin checks the asker's rights again), and the index searched among what the asker may read.
    const [entity, operational, retrieved] = await Promise.all([
      ref
        ? this.entityFor(readableEntities, caller.credentials, ref)
        : undefined,
      ref && name ? this.operationalOf(caller, ref, name) : [],
      Promise.all([readable, this.questionVectorOf(question)]).then(
        ([readableRefs, questionVector]) =>
          chunks.search({
            question: name ? `${name} ${question}` : question,
            readableRefs,
            limit: retrievalChunks,
            ...(questionVector ? { questionVector } : {}),
          }),
      ),
    ]);
    const readableRefs = await readable;
    const doc = entity && entityDocumentOf(entity);
    // What comes live from the catalog and the upstreams passes the filter here; the index holds
    // chunks the filter already passed when they were indexed.
    const live: ContextSource[] = [];
    if (doc) {
      live.push({
        id: `entity:${doc.entityRef}`,
        priority: 100,
        truncatable: true,
        title: doc.title,
        url: doc.url,
        kind: doc.kind,
        ...entityTextFor(doc, readableRefs),
        entityRef: doc.entityRef,
      });
      for (const source of operational) {
        live.push({
          ...source,
          kind: 'operational',
          requiredRefs: [doc.entityRef],
          entityRef: doc.entityRef,
        });
      }
    }
    await Promise.all(
      live.map(async item => {
        item.text = (await filter.filter(item.text)).text;
        item.title = (await filter.filter(item.title)).text;
      }),
    );
    items.push(...live);
    retrieved.forEach((chunk, rank) => {
      if (items.some(i => i.id === `entity:${chunk.sourceKey}`)) return;
      // Chunks of one page (an entity and its relations) are one source: cited once, listed once.
      const samePage = items.find(
        i => i.id.startsWith('chunk:') && i.url === chunk.url,
      );
      if (samePage) {
        samePage.text += `\n\n${chunk.heading ? `${chunk.heading}\n` : ''}${
          chunk.text
        }`;
        samePage.requiredRefs = [
          ...new Set([...samePage.requiredRefs, ...chunk.requiredRefs]),
        ];
        return;
      }
      items.push({
        id: `chunk:${chunk.id}`,
        priority: 70 - rank,
        truncatable: true,
        title: chunk.heading ? `${chunk.title}: ${chunk.heading}` : chunk.title,
        url: chunk.url,
        kind: chunk.kind,
        text: chunk.text,
        requiredRefs: chunk.requiredRefs,
        ...(chunk.kind === 'entity' || chunk.kind === 'api'
          ? { entityRef: chunk.sourceKey }
          : {}),
      });
    });
    const budget =
      pool.promptBudget() -
      tokensOf(promptOverhead(capability, caller.userRef)) -
      extraTokens -
      PROMPT_RESERVE_TOKENS;
    const { kept } = fitToBudget(items, budget, { separatorTokens: 24 });
    const sources: NumberedSource[] = kept.map((item, index) => {
      const full = items.find(i => i.id === item.id)!;
      return { ...full, text: item.text, id: index + 1 };
    });
    return { sources, entityRef: doc?.entityRef };
  }

  private publicSource(source: {
    id: number;
    title: string;
    url: string;
    kind: AssistantSource['kind'];
    text: string;
    entityRef?: string;
  }): AssistantSource {
    return {
      id: source.id,
      title: source.title,
      url: source.url,
      kind: source.kind,
      ...(source.entityRef ? { entityRef: source.entityRef } : {}),
      snippet: source.text.slice(0, 280),
    };
  }

  private async redactedMessages(
    system: string,
    history: ChatInput['history'],
    userContent: string,
  ): Promise<ChatCompletionMessageParam[]> {
    const { filter } = this.options;
    // The system prompt is the instructions and the sources, each source already through the filter
    // (contextFor, or when it was indexed); what the asker typed passes it here.
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: system },
    ];
    for (const turn of history ?? []) {
      messages.push({
        role: turn.role,
        content: (await filter.filter(turn.content)).text,
      });
    }
    messages.push({
      role: 'user',
      content: (await filter.filter(userContent)).text,
    });
    return messages;
  }

  private async finish(
    caller: Caller,
    capability: Capability,
    entityRef: string | undefined,
    question: string,
    answerText: string,
    sources: StoredSource[],
    result: Pick<ModelResult, 'provider' | 'model' | 'usage'>,
    started: number,
  ): Promise<AnswerMeta> {
    const { answers, audit, filter } = this.options;
    const id = randomUUID();
    const latencyMs = Date.now() - started;
    const redactedQuestion = (await filter.filter(question)).text;
    const redactedAnswer = (await filter.filter(answerText)).text;
    // Audited first: an answer is never kept without its audit record.
    await audit.record({
      actorRef: caller.userRef,
      action: 'ai.use',
      ...(entityRef ? { entityRef } : {}),
      outcome: 'succeeded',
      details: {
        capability,
        answerId: id,
        prompt: redactedQuestion,
        response: redactedAnswer,
        provider: result.provider,
        model: result.model,
        promptTokens: result.usage.promptTokens,
        completionTokens: result.usage.completionTokens,
        latencyMs,
        sources: sources.map(s => s.url),
      },
    });
    await answers.saveAnswer({
      id,
      userRef: caller.userRef,
      capability,
      ...(entityRef ? { entityRef } : {}),
      question: redactedQuestion,
      answer: redactedAnswer,
      sources,
      provider: result.provider,
      model: result.model,
      promptTokens: result.usage.promptTokens,
      completionTokens: result.usage.completionTokens,
      latencyMs,
    });
    return {
      answerId: id,
      aiGenerated: true,
      provider: result.provider,
      model: result.model,
      usage: result.usage,
      latencyMs,
    };
  }

  private async failed(
    caller: Caller,
    capability: Capability,
    question: string,
    error: Error,
    details: Record<string, unknown> = {},
  ) {
    await this.options.audit
      .record({
        actorRef: caller.userRef,
        action: 'ai.use',
        outcome: 'failed',
        details: {
          capability,
          prompt: (await this.options.filter.filter(question)).text,
          error: error.message,
          ...details,
        },
      })
      .catch(() => {});
  }

  /**
   * Checks everything a chat needs before its answer streams (4xx errors are thrown here), then returns
   * the function that streams it.
   */
  async startChat(caller: Caller, input: ChatInput) {
    const started = Date.now();
    const historyTokens = tokensOf(
      (input.history ?? []).map(h => h.content).join('\n'),
    );
    this.checkSize(tokensOf(input.question) + historyTokens);
    // Admitted first, so that a refused or rate-limited caller costs nothing more; then all at once.
    await this.admit(caller, 'chat');
    const [context, subject, offered] = await Promise.all([
      this.contextFor(
        caller,
        'chat',
        input.question,
        input.entityRef,
        tokensOf(input.question) + historyTokens,
      ),
      this.options.access.subjectOf(caller.userRef).catch(() => undefined),
      this.options.tools.offered(caller.credentials),
    ]);
    const messages = await this.redactedMessages(
      systemPrompt(
        'chat',
        { userRef: caller.userRef, role: subject?.role },
        context.sources,
      ),
      input.history,
      input.question,
    );
    return (emit: (event: ChatEvent) => void, signal: AbortSignal) =>
      this.streamChat(
        caller,
        input,
        context.entityRef,
        context.sources,
        messages,
        offered,
        emit,
        signal,
        started,
      );
  }

  private async streamChat(
    caller: Caller,
    input: ChatInput,
    entityRef: string | undefined,
    contextSources: NumberedSource[],
    messages: ChatCompletionMessageParam[],
    offered: Awaited<ReturnType<ActionTools['offered']>>,
    emit: (event: ChatEvent) => void,
    signal: AbortSignal,
    started: number,
  ) {
    const {
      pool,
      filter,
      tools,
      answers,
      proposalTtlMs = 15 * 60_000,
    } = this.options;
    // An answer that continues a conversation may draw on what earlier turns showed only this asker.
    const privateRef = `${PRIVATE_REF_PREFIX}${caller.userRef}`;
    const continues = (input.history ?? []).length > 0;
    const sources: StoredSource[] = contextSources.map(s => ({
      ...this.publicSource(s),
      requiredRefs: continues
        ? [...s.requiredRefs, privateRef]
        : s.requiredRefs,
    }));
    const publicSources = () => sources.map(({ requiredRefs: _r, ...s }) => s);
    emit({ type: 'sources', sources: publicSources() });
    let shown = '';
    const redactor = new StreamRedactor(
      text => filter.filter(text),
      text => {
        shown += text;
        emit({ type: 'token', text });
      },
    );
    let result: ModelResult | undefined;
    let toolCalls = 0;
    const usage = { promptTokens: 0, completionTokens: 0 };
    try {
      for (let round = 0; ; round++) {
        result = await pool.complete({
          messages,
          tools: round < MAX_TOOL_ROUNDS ? offered.definitions : undefined,
          onText: delta => redactor.push(delta),
          signal,
        });
        usage.promptTokens += result.usage.promptTokens;
        usage.completionTokens += result.usage.completionTokens;
        if (result.toolCalls.length === 0) break;
        messages.push({
          role: 'assistant',
          content: result.text || null,
          tool_calls: result.toolCalls.map(call => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: call.arguments },
          })),
        });
        for (const call of result.toolCalls) {
          const action = offered.byName.get(call.name);
          let content: string;
          toolCalls++;
          let toolInput: Record<string, unknown> = {};
          try {
            toolInput = JSON.parse(call.arguments || '{}');
          } catch {
            toolInput = {};
          }
          if (toolCalls > MAX_TOOL_CALLS) {
            // Every call needs an answer; beyond the limit the answer is that it did not run.
            content = `Not run: a question may use at most ${MAX_TOOL_CALLS} tools.`;
          } else if (!action) {
            content = `There is no tool ${call.name}.`;
          } else if (!action.attributes.readOnly) {
            const proposal = await answers.saveProposal(
              {
                id: randomUUID(),
                userRef: caller.userRef,
                actionId: action.id,
                title: action.title,
                input: toolInput,
                status: 'proposed',
              },
              proposalTtlMs,
            );
            emit({
              type: 'proposal',
              proposal: {
                id: proposal.id,
                actionId: proposal.actionId,
                title: proposal.title,
                input: proposal.input,
                expiresAt: proposal.expiresAt,
              },
            });
            content = `Proposed "${action.title}" to the person; it runs only if they confirm it in the portal.`;
          } else {
            try {
              // Filtered whole, then cut: a cut through a secret would hide it from the filter.
              content = (
                await filter.filter(
                  JSON.stringify(
                    await tools.run(action, toolInput, caller.credentials),
                  ) ?? 'null',
                )
              ).text.slice(0, MAX_TOOL_RESULT_CHARS);
              emit({
                type: 'tool',
                actionId: action.id,
                title: action.title,
                ok: true,
              });
              const refInput = entityRefOfToolInput(toolInput);
              sources.push({
                id: sources.length + 1,
                title: `${action.title} (a portal tool, run as you)`,
                url: refInput ? entityUrl(refInput) : '/assistant',
                kind: 'operational',
                snippet: content.slice(0, 280),
                // Fetched with the asker's own credentials, about whatever the model asked for: never
                // shown to anyone else through a shared answer.
                requiredRefs: [privateRef],
              });
              emit({ type: 'sources', sources: publicSources() });
            } catch (error) {
              content = `The tool failed: ${
                (await filter.filter((error as Error).message)).text
              }`;
              emit({
                type: 'tool',
                actionId: action.id,
                title: action.title,
                ok: false,
              });
            }
          }
          messages.push({ role: 'tool', tool_call_id: call.id, content });
        }
      }
      await redactor.end();
      const answer = await this.finish(
        caller,
        'chat',
        entityRef,
        input.question,
        shown,
        sources,
        { provider: result.provider, model: result.model, usage },
        started,
      );
      emit({ type: 'done', answer });
    } catch (error) {
      const unavailable =
        (error as Error).name === 'ServiceUnavailableError' && !shown;
      const suggestions = unavailable
        ? await this.cachedSuggestions(caller, input.question).catch(() => [])
        : [];
      await this.failed(caller, 'chat', input.question, error as Error, {
        suggested: suggestions.map(suggestion => suggestion.url),
      });
      emit({
        type: 'error',
        message: (await filter.filter((error as Error).message)).text,
        ...(suggestions.length > 0 ? { suggestions } : {}),
      });
    }
  }

  /**
   * When no provider can answer: the answers people marked helpful that are nearest the question, among
   * those whose sources the asker may all read (the index's own filter), already redacted when indexed.
   */
  private async cachedSuggestions(
    caller: Caller,
    question: string,
  ): Promise<CachedSuggestion[]> {
    const { cache, catalog, chunks } = this.options;
    const readableRefs = await cachedReadableRefsOf(
      cache,
      catalog,
      caller.credentials,
    );
    const found = await chunks.search({
      question,
      readableRefs,
      limit: 3 * CACHED_SUGGESTIONS,
      kinds: ['answer'],
    });
    const byAnswer = new Map<string, CachedSuggestion>();
    for (const chunk of found) {
      if (byAnswer.size === CACHED_SUGGESTIONS) break;
      if (byAnswer.has(chunk.url)) continue;
      // Filtered again on the way out, as the agent's passages are: the rules may have grown since.
      const [title, snippet] = await Promise.all(
        [chunk.title, chunk.text.slice(0, 280)].map(
          async text => (await this.options.filter.filter(text)).text,
        ),
      );
      byAnswer.set(chunk.url, { title, url: chunk.url, snippet });
    }
    return [...byAnswer.values()];
  }

  /** A structured capability: its JSON answer, parsed, redacted, audited and marked AI-generated. */
  async structured(
    caller: Caller,
    capability: Exclude<Capability, 'chat'>,
    request: { userContent: string; question: string; entityRef?: string },
  ): Promise<{
    meta: AnswerMeta;
    json: Record<string, unknown>;
    sources: AssistantSource[];
  }> {
    await this.admit(caller, capability);
    this.checkSize(tokensOf(request.userContent));
    const started = Date.now();
    const { sources, entityRef } = await this.contextFor(
      caller,
      capability,
      request.question,
      request.entityRef,
      tokensOf(request.userContent),
    );
    const messages = await this.redactedMessages(
      systemPrompt(capability, { userRef: caller.userRef }, sources),
      [],
      request.userContent,
    );
    let result: ModelResult;
    let json: Record<string, unknown>;
    try {
      result = await this.options.pool.complete({ messages, json: true });
      const redacted = (await this.options.filter.filter(result.text)).text;
      try {
        json = JSON.parse(redacted);
      } catch {
        throw new Error(
          `The model answered something other than JSON: ${redacted.slice(
            0,
            200,
          )}`,
        );
      }
    } catch (error) {
      await this.failed(caller, capability, request.question, error as Error);
      throw error;
    }
    const stored = sources.map(s => ({
      ...this.publicSource(s),
      requiredRefs: s.requiredRefs,
    }));
    const meta = await this.finish(
      caller,
      capability,
      entityRef,
      request.question,
      JSON.stringify(json),
      stored,
      result,
      started,
    );
    return {
      meta,
      json,
      sources: stored.map(({ requiredRefs: _r, ...s }) => s),
    };
  }

  /**
   * An answer for the asker who got it, or for anyone who may read everything it drew on once it is a
   * shared source (marked helpful); otherwise, as for a missing one, 404.
   */
  async answerFor(caller: Caller, answerId: string) {
    const { answers, cache, catalog } = this.options;
    await this.authorize(caller, 'answer');
    const answer = await answers.answer(answerId);
    const notFound = new NotFoundError(`No answer ${answerId} you may read`);
    if (!answer) throw notFound;
    const yours = answer.userRef === caller.userRef;
    if (!yours) {
      if (!(await answers.shared(answerId))) throw notFound;
      const readable = await cachedReadableRefsOf(
        cache,
        catalog,
        caller.credentials,
      );
      const needed = answer.sources.flatMap(source => source.requiredRefs);
      if (!needed.every(ref => readable.has(ref))) throw notFound;
    }
    return {
      answerId: answer.id,
      aiGenerated: true as const,
      capability: answer.capability,
      question: answer.question,
      answer: answer.answer,
      sources: answer.sources.map(({ requiredRefs: _r, ...source }) => source),
      createdAt: answer.createdAt.toISOString(),
      yours,
    };
  }

  /** The asker's rating of their own answer; a helpful one becomes a source for later questions. */
  async feedback(
    caller: Caller,
    answerId: string,
    rating: FeedbackRating,
    note?: string,
  ) {
    const { answers, indexer, audit, filter } = this.options;
    await this.admit(caller, 'feedback');
    const answer = await answers.answer(answerId);
    if (!answer || answer.userRef !== caller.userRef) {
      throw new NotFoundError(`No answer ${answerId} of yours`);
    }
    const redactedNote = note ? (await filter.filter(note)).text : undefined;
    await audit.record({
      actorRef: caller.userRef,
      action: 'ai.feedback',
      outcome: 'succeeded',
      details: {
        answerId,
        rating,
        ...(redactedNote ? { note: redactedNote } : {}),
      },
    });
    await answers.saveFeedback(answerId, caller.userRef, rating, redactedNote);
    const shared =
      rating === 'helpful' &&
      !(await answers.markedWrong(answerId)) &&
      (await indexer.indexAnswer(answer));
    if (!shared) await indexer.removeAnswer(answerId);
    return { answerId, rating, shared };
  }

  /**
   * Runs a change the assistant proposed, for the person who confirms it, with their credentials: once,
   * audited before it runs and after, and never left half-way (a failure ends the proposal as failed).
   */
  async confirmProposal(caller: Caller, proposalId: string) {
    const { answers, tools, audit, filter } = this.options;
    await this.authorize(caller, 'proposal');
    const proposal = await answers.claimProposal(proposalId, caller.userRef);
    if (!proposal) {
      const existing = await answers.proposal(proposalId);
      if (!existing || existing.userRef !== caller.userRef) {
        throw new NotFoundError(`No proposal ${proposalId} of yours`);
      }
      throw new InputError(
        existing.status === 'proposed'
          ? 'This proposal has expired; ask the assistant again'
          : `This proposal was already ${existing.status}`,
      );
    }
    const details = {
      proposalId,
      actionId: proposal.actionId,
      input: proposal.input,
    };
    let status: 'confirmed' | 'failed' = 'failed';
    let output: unknown;
    try {
      await audit.record({
        actorRef: caller.userRef,
        action: 'ai.proposal.confirm',
        outcome: 'succeeded',
        details: { ...details, step: 'confirmed' },
      });
      const offered = await tools.offered(caller.credentials);
      const action = [...offered.byName.values()].find(
        a => a.id === proposal.actionId,
      );
      if (!action) {
        throw new NotAllowedError(
          `${proposal.actionId} is not an action you may use`,
        );
      }
      output =
        (await tools.run(action, proposal.input, caller.credentials)) ?? null;
      status = 'confirmed';
    } catch (error) {
      output = { error: (await filter.filter((error as Error).message)).text };
    } finally {
      await answers.finishProposal(proposal.id, status, output);
      await audit
        .record({
          actorRef: caller.userRef,
          action: 'ai.proposal.confirm',
          outcome: status === 'confirmed' ? 'succeeded' : 'failed',
          details: { ...details, step: status },
        })
        .catch(error =>
          this.options.logger.error(
            `Proposal ${proposalId} ${status}, but its audit record failed: ${error}`,
          ),
        );
    }
    return { ...proposal, status, output };
  }

  /** The passages an agent asked for (retrieve-portal-knowledge), for its person: as a question is. */
  async retrieveForAgent(caller: Caller, question: string, limit: number) {
    const { cache, catalog, chunks, filter, audit } = this.options;
    await this.admit(caller, 'retrieve');
    const [readableRefs, questionVector] = await Promise.all([
      cachedReadableRefsOf(cache, catalog, caller.credentials),
      this.questionVectorOf(question),
    ]);
    const found = await chunks.search({
      question,
      readableRefs,
      limit,
      ...(questionVector ? { questionVector } : {}),
    });
    const passages = [];
    for (const chunk of found) {
      passages.push({
        title: (
          await filter.filter(
            chunk.heading ? `${chunk.title}: ${chunk.heading}` : chunk.title,
          )
        ).text,
        url: chunk.url,
        kind: chunk.kind,
        text: (await filter.filter(chunk.text)).text,
      });
    }
    await audit.record({
      actorRef: caller.userRef,
      action: 'ai.use',
      outcome: 'succeeded',
      details: {
        capability: 'retrieve',
        prompt: (await filter.filter(question)).text,
        sources: passages.map(p => p.url),
      },
    });
    return passages;
  }

  async status(caller: Caller) {
    await this.authorize(caller, 'status');
    return this.options.pool.status();
  }
}
