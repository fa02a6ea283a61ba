export interface Config {
  aiAssistant?: {
    /**
     * OpenAI-compatible chat endpoints in the order they are tried (OpenAI, Azure OpenAI's v1 API, a gateway in
     * front of Bedrock, a self-hosted server). A provider that errs or stalls is skipped for the next one;
     * after `breaker.failureThreshold` failures in a row it is left alone for `breaker.openSeconds`.
     */
    providers: Array<{
      /** A short name shown in answers and the audit trail, e.g. openai or bedrock-gateway. */
      id: string;
      /** The API's base URL, ending in /v1 (e.g. https://api.openai.com/v1). */
      baseUrl: string;
      /** @visibility secret */
      apiKey: string;
      model: string;
      /** The model's context window in tokens. Default 128000. */
      contextTokens?: number;
      /** Tokens kept for the answer. Default 1500. */
      answerTokens?: number;
      /** The first streamed token must arrive within this. Default 15. */
      firstTokenTimeoutSeconds?: number;
      /** A whole answer must complete within this, and no gap between tokens may be longer than firstTokenTimeoutSeconds. Default 120. */
      timeoutSeconds?: number;
      /** Extra headers, e.g. Azure's `api-key` or a gateway's routing header. */
      headers?: { [name: string]: string };
    }>;
    /**
     * An embeddings model for retrieval (any OpenAI-compatible `/embeddings` endpoint); without it
     * retrieval is full-text only. With it, full-text and embeddings rankings are fused. The vectors are
     * searched by pgvector where the database has the extension, in process otherwise.
     */
    embeddings?: {
      baseUrl: string;
      /** @visibility secret */
      apiKey: string;
      model: string;
      /** Vector length to ask for (models that can shorten theirs, e.g. text-embedding-3-*). */
      dimensions?: number;
      /** Per request. Default 10. A question whose embedding is late is answered from full text. */
      timeoutSeconds?: number;
      headers?: { [name: string]: string };
    };
    breaker?: {
      /** Failures in a row that open a provider's breaker. Default 3. */
      failureThreshold?: number;
      /** How long an open breaker skips the provider before one request tries it again. Default 30. */
      openSeconds?: number;
    };
    /** Requests per user per minute, across replicas. Default 20. */
    requestsPerMinute?: number;
    retrieval?: {
      /** Chunks given to the model per question. Default 8. */
      chunks?: number;
      /** Tokens per indexed chunk. Default 350. */
      chunkTokens?: number;
      /** How often the catalog is checked for changes to re-index (one replica at a time). Default 60. */
      catalogCheckSeconds?: number;
      /** How often everything is re-indexed in full. Default 360 (minutes). */
      fullIndexMinutes?: number;
    };
    /** Which registered actions the assistant may call as tools, by plugin. Default: catalog, service-health, opencost, n8n. */
    toolPlugins?: string[];
  };
}
