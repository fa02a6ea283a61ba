import { Config } from '@backstage/config';
import OpenAI from 'openai';

/** How many texts go to the embeddings endpoint in one request. */
const BATCH = 64;

export interface EmbeddingsConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  dimensions?: number;
  timeoutMs: number;
  headers: Record<string, string>;
}

export function readEmbeddings(config: Config): EmbeddingsConfig | undefined {
  const embeddings = config.getOptionalConfig('aiAssistant.embeddings');
  if (!embeddings) return undefined;
  return {
    baseUrl: embeddings.getString('baseUrl').replace(/\/+$/, ''),
    apiKey: embeddings.getString('apiKey'),
    model: embeddings.getString('model'),
    dimensions: embeddings.getOptionalNumber('dimensions'),
    timeoutMs: (embeddings.getOptionalNumber('timeoutSeconds') ?? 10) * 1000,
    headers: embeddings.getOptional<Record<string, string>>('headers') ?? {},
  };
}

/** The configured embeddings model (any OpenAI-compatible `/embeddings` endpoint). */
export class EmbeddingsClient {
  private readonly client: OpenAI;

  constructor(private readonly config: EmbeddingsConfig) {
    this.client = new OpenAI({
      baseURL: config.baseUrl,
      apiKey: config.apiKey,
      maxRetries: 1,
      timeout: config.timeoutMs,
      defaultHeaders: config.headers,
    });
  }

  get model() {
    return this.config.model;
  }

  /** One vector per text, in order. The texts must already have passed the sensitive-content filter. */
  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH);
      const response = await this.client.embeddings.create(
        {
          model: this.config.model,
          input: batch,
          encoding_format: 'float',
          ...(this.config.dimensions
            ? { dimensions: this.config.dimensions }
            : {}),
        },
        { signal },
      );
      const byIndex = [...response.data].sort((a, b) => a.index - b.index);
      if (byIndex.length !== batch.length) {
        throw new Error(
          `The embeddings model answered ${byIndex.length} vectors for ${batch.length} texts`,
        );
      }
      vectors.push(...byIndex.map(d => d.embedding));
    }
    return vectors;
  }
}
