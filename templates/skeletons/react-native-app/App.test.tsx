import { render, screen } from '@testing-library/react-native';
import App from './App';
import { observabilityConfigFrom } from './src/observability';

describe('App', () => {
  it('renders the first screen', async () => {
    await render(<App />);
    expect(screen.getByRole('header')).toHaveTextContent('${{ values.name }}');
  });
});

describe('observabilityConfigFrom', () => {
  it('reads the DSN and tags of the build', () => {
    expect(
      observabilityConfigFrom({ EXPO_PUBLIC_SENTRY_DSN: 'https://key@sentry.example/1', EXPO_PUBLIC_DD_ENV: 'staging' }),
    ).toEqual({ sentryDsn: 'https://key@sentry.example/1', environment: 'staging', service: '${{ values.name }}', version: 'dev' });
  });

  it('sends nothing when nothing is configured', () => {
    expect(observabilityConfigFrom({}).sentryDsn).toBeUndefined();
  });
});
