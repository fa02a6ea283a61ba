import { Config } from '@backstage/config';
import OpenAI from 'openai';

/** How many texts go to the embeddings endpoint in one request. */
const BATCH = 64;

/** pgvector's limit, and far beyond any model's: a longer vector is a broken answer. */
const MAX_DIMENSIONS = 16_000;
/** float4's range: the vectors are stored as real[] or pgvector's vector. */
const MAX_MAGNITUDE = 3.4e38;

/** A vector the index can store and compare, or undefined. */
function validVector(
  value: unknown,
  dimensions?: number,
): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (value.length > MAX_DIMENSIONS) return undefined;
  if (dimensions !== undefined && value.length !== dimensions) return undefined;
  return value.every(
    x =>
      typeof x === 'number' &&
      Number.isFinite(x) &&
      Math.abs(x) < MAX_MAGNITUDE,
  )
    ? (value as number[])
    : undefined;
}

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

  /** What the index records a vector as made by: the model, and the length asked of it if any. */
  get model() {
    const { model, dimensions } = this.config;
    return dimensions ? `${model}@${dimensions}` : model;
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
      for (const { embedding } of byIndex) {
        const vector = validVector(
          embedding,
          this.config.dimensions ?? vectors[0]?.length,
        );
        if (!vector) {
          throw new Error(
            `The embeddings model ${
              this.config.model
            } answered something that is not a vector of numbers${
              this.config.dimensions
                ? ` of length ${this.config.dimensions}`
                : ''
            }`,
          );
        }
        vectors.push(vector);
      }
    }
    return vectors;
  }
}
