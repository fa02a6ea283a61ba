import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { responseData } from '@internal/api-client';
import {
  ChatEvent,
  components,
  createAiAssistantApiClient,
  parseChatEvent,
} from '@internal/plugin-ai-assistant-common';
import { createParser } from 'eventsource-parser';

type Schemas = components['schemas'];
export type CodeSuggestion = Schemas['CodeSuggestion'];
export type Documentation = Schemas['Documentation'];
export type RootCauseAnalysis = Schemas['RootCauseAnalysis'];
export type CodeReview = Schemas['CodeReview'];
export type Proposal = Schemas['Proposal'];
export type ProviderStatus = Schemas['ProviderStatus'];
export type StoredAnswer = Schemas['StoredAnswer'];

export interface ChatRequest {
  question: string;
  entityRef?: string;
  history?: Array<{ role: 'user' | 'assistant'; content: string }>;
}

export interface AiAssistantApi {
  /** Streams an answer: each event as it arrives; resolves when the answer ends. */
  chat(
    request: ChatRequest,
    onEvent: (event: ChatEvent) => void,
    signal?: AbortSignal,
  ): Promise<void>;
  /** An earlier answer: the caller's own, or a helpful one they may read all the sources of. */
  getAnswer(answerId: string): Promise<StoredAnswer>;
  feedback(
    answerId: string,
    rating: 'helpful' | 'wrong',
    note?: string,
  ): Promise<void>;
  confirmProposal(proposalId: string): Promise<Proposal>;
  generateCode(request: {
    prompt: string;
    entityRef?: string;
    service?: Schemas['ServiceContext'];
  }): Promise<CodeSuggestion>;
  generateDocumentation(request: {
    code: string;
    title?: string;
    entityRef?: string;
  }): Promise<Documentation>;
  analyzeError(error: Schemas['ErrorContext']): Promise<RootCauseAnalysis>;
  reviewCode(pullRequest: Schemas['PRContext']): Promise<CodeReview>;
  status(): Promise<ProviderStatus[]>;
}

export const aiAssistantApiRef = createApiRef<AiAssistantApi>({
  id: 'plugin.ai-assistant',
});

/** The assistant backend: the chat as a stream of server-sent events, the rest through the typed client. */
export class AiAssistantClient implements AiAssistantApi {
  constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  private async client() {
    return createAiAssistantApiClient(
      await this.discoveryApi.getBaseUrl('ai-assistant'),
      (url, init) => this.fetchApi.fetch(url, init),
    );
  }

  async chat(
    request: ChatRequest,
    onEvent: (event: ChatEvent) => void,
    signal?: AbortSignal,
  ) {
    const baseUrl = await this.discoveryApi.getBaseUrl('ai-assistant');
    const response = await this.fetchApi.fetch(`${baseUrl}/chat`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
      },
      body: JSON.stringify(request),
      signal,
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const parser = createParser({
      onEvent: message => {
        const event = parseChatEvent(message.event ?? '', message.data);
        if (event) onEvent(event);
      },
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  }

  async getAnswer(answerId: string) {
    return responseData(
      (await this.client()).GET('/answers/{answerId}', {
        params: { path: { answerId } },
      }),
    );
  }

  async feedback(answerId: string, rating: 'helpful' | 'wrong', note?: string) {
    await responseData(
      (
        await this.client()
      ).POST('/answers/{answerId}/feedback', {
        params: { path: { answerId } },
        body: { rating, ...(note ? { note } : {}) },
      }),
    );
  }

  async confirmProposal(proposalId: string) {
    return responseData(
      (await this.client()).POST('/proposals/{proposalId}/confirm', {
        params: { path: { proposalId } },
      }),
    );
  }

  async generateCode(body: Parameters<AiAssistantApi['generateCode']>[0]) {
    return responseData((await this.client()).POST('/generate/code', { body }));
  }

  async generateDocumentation(
    body: Parameters<AiAssistantApi['generateDocumentation']>[0],
  ) {
    return responseData(
      (await this.client()).POST('/generate/documentation', { body }),
    );
  }

  async analyzeError(error: Schemas['ErrorContext']) {
    return responseData(
      (await this.client()).POST('/analyze-error', { body: { error } }),
    );
  }

  async reviewCode(pullRequest: Schemas['PRContext']) {
    return responseData(
      (await this.client()).POST('/review-code', { body: { pullRequest } }),
    );
  }

  async status() {
    return (await responseData((await this.client()).GET('/status'))).providers;
  }
}
