import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { observabilityConfigFrom } from './observability';

describe('App', () => {
  it('renders the first screen', () => {
    render(<App />);
    expect(screen.getByRole('heading', { name: '${{ values.name }}' })).toBeInTheDocument();
  });
});

describe('observabilityConfigFrom', () => {
  it('reads the DSN and tags the container serves', () => {
    expect(
      observabilityConfigFrom({ sentryDsn: 'https://key@sentry.example/1', environment: 'staging', version: 'abc123' }),
    ).toMatchObject({ sentryDsn: 'https://key@sentry.example/1', environment: 'staging', version: 'abc123', service: '${{ values.name }}' });
  });

  it('sends nothing when nothing is configured', () => {
    expect(observabilityConfigFrom({ sentryDsn: '' })).toMatchObject({ sentryDsn: undefined, environment: 'local' });
  });
});
