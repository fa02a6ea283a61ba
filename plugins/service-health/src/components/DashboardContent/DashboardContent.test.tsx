import { screen } from '@testing-library/react';
import { renderCard, service } from '../../__testUtils__/cards';
import { DashboardContent, isDatadogUrl } from './DashboardContent';

describe('DashboardContent', () => {
  it('embeds the Datadog dashboard of the service, with a link to open it', async () => {
    const url =
      'https://app.datadoghq.com/dashboard/abc-123-inv/invoice-service';
    await renderCard(
      <DashboardContent />,
      service({ 'datadog/dashboard-url': url }),
      {},
    );
    expect(
      await screen.findByTitle('Datadog dashboard of invoice-service'),
    ).toHaveAttribute('src', url);
    expect(
      screen.getByText('Open the dashboard in Datadog').closest('a'),
    ).toHaveAttribute('href', url);
  });

  it('says which annotation to add when there is none', async () => {
    await renderCard(<DashboardContent />, service({}), {});
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
  });

  it('refuses to frame anything that is not Datadog', async () => {
    await renderCard(
      <DashboardContent />,
      service({ 'datadog/dashboard-url': 'https://evil.example/phish' }),
      {},
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'must be an https address on Datadog',
    );
    expect(isDatadogUrl('https://app.datadoghq.eu/dashboard/x')).toBe(true);
    expect(isDatadogUrl('http://app.datadoghq.com/dashboard/x')).toBe(false);
    expect(isDatadogUrl('https://datadoghq.com.evil.example/x')).toBe(false);
  });
});
