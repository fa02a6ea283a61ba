import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { AiAssistantApi, aiAssistantApiRef } from '../../api/AiAssistantClient';
import { AnswerView } from './AnswerView';
import { newTurn } from './turn';

const turn = {
  ...newTurn('What do I do when dunning stops?'),
  streaming: false,
  text: 'Restart the dunning worker [1].',
  sources: [
    {
      id: 1,
      title: 'Dunning runbook (invoice-service docs)',
      url: '/docs/default/component/invoice-service/runbook/',
      kind: 'runbook' as const,
      snippet: 'When dunning emails stop, restart the dunning worker.',
    },
  ],
  proposals: [
    {
      id: 'p1',
      actionId: 'catalog:refresh-catalog-entity',
      title: 'Refresh Catalog Entity',
      input: { name: 'invoice-service' },
      expiresAt: '2026-12-05T10:00:00Z',
    },
  ],
  answer: {
    answerId: 'a1',
    aiGenerated: true as const,
    provider: 'sandbox-primary',
    model: 'gpt-4o-mini',
    usage: { promptTokens: 100, completionTokens: 20 },
    latencyMs: 420,
  },
};

describe('AnswerView', () => {
  it('shows the answer as AI-generated, with clickable citations and sources, confirms a proposal and takes feedback', async () => {
    const feedback = jest.fn(async () => {});
    const confirmProposal = jest.fn(async () => ({
      ...turn.proposals[0],
      status: 'confirmed' as const,
      output: { entityRef: 'component:default/invoice-service' },
    }));
    await renderInTestApp(<AnswerView turn={turn} />, {
      apis: [
        [
          aiAssistantApiRef,
          {
            feedback,
            confirmProposal,
          } as Partial<AiAssistantApi> as AiAssistantApi,
        ],
      ],
    });
    expect(screen.getByText('AI-generated')).toBeInTheDocument();
    expect(
      screen.getByText('sandbox-primary · gpt-4o-mini · 420 ms'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '[1]' })).toHaveAttribute(
      'href',
      '/docs/default/component/invoice-service/runbook/',
    );
    expect(
      screen.getByRole('link', {
        name: 'Dunning runbook (invoice-service docs)',
      }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/invoice-service/runbook/',
    );
    expect(screen.getByText('runbook')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(confirmProposal).toHaveBeenCalledWith('p1');
    expect(
      await screen.findByText(
        /It ran: {"entityRef":"component:default\/invoice-service"}/,
      ),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Wrong' }));
    await userEvent.type(
      screen.getByLabelText('What is wrong?'),
      'the worker was renamed',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(feedback).toHaveBeenCalledWith(
      'a1',
      'wrong',
      'the worker was renamed',
    );
    expect(
      await screen.findByText('Thanks: this answer will not be used again.'),
    ).toBeInTheDocument();
  });

  it('offers helpful earlier answers, as links, when no provider could answer', async () => {
    await renderInTestApp(
      <AnswerView
        turn={{
          ...newTurn('Why did dunning stop?'),
          streaming: false,
          error:
            'No AI provider could answer (primary: answered 500); try again shortly',
          suggestions: [
            {
              title: 'Answered before: why are dunning emails not sent?',
              url: '/assistant?answer=a0',
              snippet: 'Restart the dunning worker.',
            },
          ],
        }}
      />,
      {
        apis: [
          [aiAssistantApiRef, {} as Partial<AiAssistantApi> as AiAssistantApi],
        ],
      },
    );
    expect(screen.getByText(/No AI provider could answer/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'Answered before: why are dunning emails not sent?',
      }),
    ).toHaveAttribute('href', '/assistant?answer=a0');
    expect(screen.getByText('Restart the dunning worker.')).toBeInTheDocument();
  });
});
