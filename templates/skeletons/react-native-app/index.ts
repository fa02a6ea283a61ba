import { registerRootComponent } from 'expo';
import * as Sentry from '@sentry/react-native';
import App from './App';
import { observabilityConfigFrom } from './src/observability';

// Expo inlines EXPO_PUBLIC_* variables only where they are read by name.
const observability = observabilityConfigFrom({
  EXPO_PUBLIC_SENTRY_DSN: process.env.EXPO_PUBLIC_SENTRY_DSN,
  EXPO_PUBLIC_DD_ENV: process.env.EXPO_PUBLIC_DD_ENV,
  EXPO_PUBLIC_DD_SERVICE: process.env.EXPO_PUBLIC_DD_SERVICE,
  EXPO_PUBLIC_DD_VERSION: process.env.EXPO_PUBLIC_DD_VERSION,
});
if (observability.sentryDsn) {
  Sentry.init({
    dsn: observability.sentryDsn,
    environment: observability.environment,
    release: `${observability.service}@${observability.version}`,
    initialScope: { tags: { service: observability.service } },
  });
}

registerRootComponent(observability.sentryDsn ? Sentry.wrap(App) : App);
