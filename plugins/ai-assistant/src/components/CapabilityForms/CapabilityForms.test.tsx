import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { AiAssistantApi, aiAssistantApiRef } from '../../api/AiAssistantClient';
import { AnalyzeErrorForm, ReviewDiffForm } from './CapabilityForms';

const answer = {
  answerId: 'a1',
  aiGenerated: true as const,
  provider: 'sandbox-primary',
  model: 'gpt-4o-mini',
  usage: { promptTokens: 1, completionTokens: 1 },
  latencyMs: 10,
};

describe('the capability forms', () => {
  it('analyzes an error into ranked hypotheses, each linking its evidence', async () => {
    const analyzeError = jest.fn(async () => ({
      answer,
      sources: [],
      hypotheses: [
        {
          title: 'A deployment an hour before the error',
          likelihood: 0.7,
          explanation: 'production synced revision 4f2a1c at 02:10.',
          evidence: [
            {
              id: 2,
              title: 'Deployments of invoice-service',
              url: '/catalog/default/component/invoice-service',
              kind: 'operational' as const,
              snippet: '',
            },
          ],
        },
      ],
    }));
    await renderInTestApp(
      <AnalyzeErrorForm entityRef="component:default/invoice-service" />,
      {
        apis: [
          [
            aiAssistantApiRef,
            { analyzeError } as Partial<AiAssistantApi> as AiAssistantApi,
          ],
        ],
      },
    );
    await userEvent.type(
      screen.getByLabelText(/Error message/),
      'checkout 502',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Analyze' }));
    expect(analyzeError).toHaveBeenCalledWith({
      message: 'checkout 502',
      entityRef: 'component:default/invoice-service',
    });
    expect(
      await screen.findByText('70 %: A deployment an hour before the error'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: '[2] Deployments of invoice-service' }),
    ).toHaveAttribute('href', '/catalog/default/component/invoice-service');
    expect(screen.getByText('AI-generated')).toBeInTheDocument();
  });

  it('shows the reason when a review is refused', async () => {
    const reviewCode = async () => {
      throw new Error(
        'Your role may not use the AI assistant (ai.use); ask a platform admin if you need it',
      );
    };
    await renderInTestApp(<ReviewDiffForm />, {
      apis: [
        [
          aiAssistantApiRef,
          { reviewCode } as Partial<AiAssistantApi> as AiAssistantApi,
        ],
      ],
    });
    await userEvent.type(screen.getByLabelText(/Unified diff/), '+++ b/a.ts');
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    expect(
      await screen.findByText(/may not use the AI assistant/),
    ).toBeInTheDocument();
  });
});
