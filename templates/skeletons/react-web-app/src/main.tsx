import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import * as Sentry from '@sentry/react';
import { App } from './App';
import { observabilityConfigFrom, startObservability } from './observability';

async function start() {
  const config = await fetch('/config.json')
    .then(response => (response.ok ? response.json() : {}))
    .catch(() => ({}));
  startObservability(observabilityConfigFrom(config));
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Sentry.ErrorBoundary fallback={<p>Something went wrong; it has been reported.</p>}>
        <App />
      </Sentry.ErrorBoundary>
    </StrictMode>,
  );
}

start();
