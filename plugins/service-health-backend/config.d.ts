export interface Config {
  /** Argo CD, read by the service page's deployments card (and its sync). */
  argocd?: {
    baseUrl: string;
    /** @visibility secret */
    token: string;
  };
  /** Datadog, read by the service page's monitors card; the keys never reach the browser. */
  datadog?: {
    /** e.g. https://api.datadoghq.com or https://api.datadoghq.eu */
    apiBaseUrl: string;
    /** @visibility secret */
    apiKey: string;
    /** @visibility secret */
    appKey: string;
  };
  /** Sentry, read by the service page's errors card. */
  sentry?: {
    /** https://sentry.io, or a self-hosted Sentry */
    baseUrl: string;
    /** The organization whose projects sentry/project-slug may name. */
    organization: string;
    /** An internal integration token with project:read and event:read. @visibility secret */
    token: string;
  };
  serviceHealth?: {
    /** How long an upstream answer is served without asking again, in seconds; default 60. */
    cacheSeconds?: number;
    /** How long one upstream request may take, in milliseconds; default 10000. */
    upstreamTimeoutMs?: number;
  };
}
