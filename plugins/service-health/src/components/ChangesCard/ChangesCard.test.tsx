import { screen } from '@testing-library/react';
import { FRESH, renderCard, service, STALE } from '../../__testUtils__/cards';
import { ChangesCard } from './ChangesCard';

const annotated = service({
  'github.com/project-slug': 'quillstack/pdf-renderer',
});
const signal = (freshness = FRESH) => ({
  pullRequests: [
    {
      number: 63,
      title: 'Bump spring-boot to 3.3.5',
      author: 'erik-larsen',
      url: 'https://github.com/quillstack/pdf-renderer/pull/63',
      draft: false,
      createdAt: new Date(Date.now() - 86_400_000).toISOString(),
    },
  ],
  runs: [
    {
      id: 9001,
      name: 'CI',
      title: 'Build pdf-renderer',
      status: 'completed',
      conclusion: 'failure',
      branch: 'main',
      url: 'https://github.com/quillstack/pdf-renderer/actions/runs/9001',
      createdAt: new Date(Date.now() - 7_200_000).toISOString(),
    },
  ],
  freshness,
});

describe('ChangesCard', () => {
  it('lists open pull requests and the latest builds, a failing one marked', async () => {
    await renderCard(<ChangesCard />, annotated, {
      changes: async () => signal(),
    });
    expect(
      await screen.findByText('#63 Bump spring-boot to 3.3.5'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/erik-larsen · opened 24 h ago/),
    ).toBeInTheDocument();
    expect(screen.getByText('failure')).toBeInTheDocument();
    expect(screen.getByText('Build pdf-renderer')).toHaveAttribute(
      'href',
      'https://github.com/quillstack/pdf-renderer/actions/runs/9001',
    );
  });

  it('says which annotation to add when the service has none', async () => {
    await renderCard(<ChangesCard />, service({}), {});
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
  });

  it('shows the last pull requests and builds with their age when GitHub is down', async () => {
    await renderCard(<ChangesCard />, annotated, {
      changes: async () => signal(STALE),
    });
    expect(await screen.findByRole('status')).toHaveTextContent(/3 h ago/);
  });
});
