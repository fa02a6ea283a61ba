import { screen } from '@testing-library/react';
import { MonitorsSignal } from '@internal/plugin-service-health-common';
import { FRESH, renderCard, service, STALE } from '../../__testUtils__/cards';
import { MonitorsCard } from './MonitorsCard';

const signal = (freshness = FRESH): MonitorsSignal => ({
  dashboardUrl:
    'https://app.datadoghq.com/dashboard/abc-123-inv/invoice-service',
  items: [
    {
      id: 1,
      name: '[invoice-service] Error rate above 2% on prod',
      state: 'Alert',
      since: new Date(Date.now() - 20 * 60_000).toISOString(),
      url: 'https://app.datadoghq.com/monitors/1',
    },
    {
      id: 2,
      name: '[invoice-service] p95 latency above 500 ms on prod',
      state: 'OK',
      url: 'https://app.datadoghq.com/monitors/2',
    },
  ],
  freshness,
});

const annotated = service({
  'datadog/dashboard-url':
    'https://app.datadoghq.com/dashboard/abc-123-inv/invoice-service',
});

describe('MonitorsCard', () => {
  it('lists monitors with their state and since when, and links the dashboard', async () => {
    await renderCard(<MonitorsCard />, annotated, {
      monitors: async () => signal(),
    });
    expect(
      await screen.findByText('[invoice-service] Error rate above 2% on prod'),
    ).toBeInTheDocument();
    expect(screen.getByText('Alert')).toBeInTheDocument();
    expect(screen.getByText(/since 20 min ago/)).toBeInTheDocument();
    expect(screen.getByText('As of 2 min ago')).toBeInTheDocument();
    expect(
      screen.getByText('Open the Datadog dashboard').closest('a'),
    ).toHaveAttribute('href', signal().dashboardUrl);
  });

  it('says which annotation to add when the service has none', async () => {
    await renderCard(<MonitorsCard />, service({}), {});
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/datadog\/dashboard-url/).length,
    ).toBeGreaterThan(0);
  });

  it('shows the last data marked stale with its age when Datadog is down', async () => {
    await renderCard(<MonitorsCard />, annotated, {
      monitors: async () => signal(STALE),
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      /Stale: showing data as of 3 h ago \(Datadog did not answer/,
    );
    expect(
      screen.getByText('[invoice-service] Error rate above 2% on prod'),
    ).toBeInTheDocument();
  });

  it('explains an outage with nothing stored instead of crashing', async () => {
    await renderCard(<MonitorsCard />, annotated, {
      monitors: async () => {
        throw new Error(
          'Datadog answered HTTP 500; there is no earlier answer to show',
        );
      },
    });
    expect(
      (await screen.findAllByText(/there is no earlier answer to show/)).length,
    ).toBeGreaterThan(0);
  });
});
