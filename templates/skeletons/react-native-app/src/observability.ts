/**
 * Sentry and Datadog settings of a build, from EXPO_PUBLIC_* variables (Expo inlines them when it
 * bundles, so each environment's build carries its own DSN and tags).
 */
export interface ObservabilityConfig {
  sentryDsn?: string;
  environment: string;
  service: string;
  version: string;
}

export function observabilityConfigFrom(env: Record<string, string | undefined>): ObservabilityConfig {
  const text = (value: string | undefined) => (value ? value : undefined);
  return {
    sentryDsn: text(env.EXPO_PUBLIC_SENTRY_DSN),
    environment: text(env.EXPO_PUBLIC_DD_ENV) ?? 'local',
    service: text(env.EXPO_PUBLIC_DD_SERVICE) ?? '${{ values.name }}',
    version: text(env.EXPO_PUBLIC_DD_VERSION) ?? 'dev',
  };
}
