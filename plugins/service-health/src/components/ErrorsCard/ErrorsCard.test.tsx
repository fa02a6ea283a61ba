import { screen } from '@testing-library/react';
import { FRESH, renderCard, service, STALE } from '../../__testUtils__/cards';
import { ErrorsCard } from './ErrorsCard';

const annotated = service({
  'sentry/project-slug': 'quillstack/usage-metering',
});
const items = [
  {
    id: '4001',
    shortId: 'USAGE-METERING-1A',
    title: 'OutOfMemoryError: Java heap space',
    culprit: 'UsageAggregator.flush',
    level: 'error',
    status: 'unresolved',
    count: 2210,
    userCount: 54,
    eventsLast24h: 1890,
    firstSeen: new Date(Date.now() - 5 * 86_400_000).toISOString(),
    lastSeen: new Date(Date.now() - 60_000).toISOString(),
    url: 'https://quillstack.sentry.io/issues/4001/',
  },
];

describe('ErrorsCard', () => {
  it('lists unresolved issues with events, users, first and last seen', async () => {
    await renderCard(<ErrorsCard />, annotated, {
      errors: async () => ({ items, freshness: FRESH }),
    });
    expect(
      await screen.findByText('OutOfMemoryError: Java heap space'),
    ).toHaveAttribute('href', 'https://quillstack.sentry.io/issues/4001/');
    expect(screen.getByText('1890 (2210 in all)')).toBeInTheDocument();
    expect(screen.getByText('54')).toBeInTheDocument();
    expect(screen.getByText('5 days ago')).toBeInTheDocument();
  });

  it('says which annotation to add when the service has none', async () => {
    await renderCard(<ErrorsCard />, service({}), {});
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
  });

  it('shows the last issues marked stale when Sentry is down', async () => {
    await renderCard(<ErrorsCard />, annotated, {
      errors: async () => ({ items, freshness: STALE }),
    });
    expect(await screen.findByRole('status')).toHaveTextContent(/Stale/);
  });
});
