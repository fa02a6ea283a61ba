import * as Sentry from '@sentry/react';
import { datadogRum } from '@datadog/browser-rum';

/**
 * What the container serves at /config.json, from its environment (nginx.conf): the same image runs in
 * every environment, so the DSN and Datadog's tags are read at run time, not baked into the build.
 */
export interface ObservabilityConfig {
  sentryDsn?: string;
  environment: string;
  service: string;
  version: string;
  datadogApplicationId?: string;
  datadogClientToken?: string;
}

export function observabilityConfigFrom(json: unknown): ObservabilityConfig {
  const value = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  // nginx leaves a variable it has no value for as written (${NAME}): that is unset too.
  const text = (key: string) =>
    typeof value[key] === 'string' && value[key] !== '' && !(value[key] as string).startsWith('$')
      ? (value[key] as string)
      : undefined;
  return {
    sentryDsn: text('sentryDsn'),
    environment: text('environment') ?? 'local',
    service: text('service') ?? '${{ values.name }}',
    version: text('version') ?? 'dev',
    datadogApplicationId: text('datadogApplicationId'),
    datadogClientToken: text('datadogClientToken'),
  };
}

/** Starts Sentry and Datadog RUM where they are configured; locally neither sends anything. */
export function startObservability(config: ObservabilityConfig) {
  if (config.sentryDsn) {
    Sentry.init({
      dsn: config.sentryDsn,
      environment: config.environment,
      release: `${config.service}@${config.version}`,
      initialScope: { tags: { service: config.service } },
    });
  }
  if (config.datadogApplicationId && config.datadogClientToken) {
    datadogRum.init({
      applicationId: config.datadogApplicationId,
      clientToken: config.datadogClientToken,
      site: 'datadoghq.com',
      service: config.service,
      env: config.environment,
      version: config.version,
      sessionSampleRate: 100,
    });
  }
}
