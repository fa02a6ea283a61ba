import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { AiAssistantApi, aiAssistantApiRef } from '../../api/AiAssistantClient';
import { AssistantPage } from './AssistantPage';

describe('AssistantPage', () => {
  it('opens an earlier answer from a source link, read-only for someone else, and switches to the other capabilities', async () => {
    const getAnswer = jest.fn(async () => ({
      answerId: 'a1',
      aiGenerated: true as const,
      capability: 'chat',
      question: 'How does invoice-service chase overdue invoices?',
      answer: 'It runs dunning every night [1].',
      sources: [
        {
          id: 1,
          title: 'invoice-service (Component)',
          url: '/catalog/default/component/invoice-service',
          kind: 'entity' as const,
          snippet: '',
        },
      ],
      createdAt: '2026-12-05T02:00:00Z',
      yours: false,
    }));
    await renderInTestApp(<AssistantPage />, {
      initialRouteEntries: ['/?answer=a1'],
      apis: [
        [
          aiAssistantApiRef,
          { getAnswer } as Partial<AiAssistantApi> as AiAssistantApi,
        ],
      ],
    });
    expect(
      await screen.findByText(
        'How does invoice-service chase overdue invoices?',
      ),
    ).toBeInTheDocument();
    expect(getAnswer).toHaveBeenCalledWith('a1');
    expect(screen.getByRole('link', { name: '[1]' })).toHaveAttribute(
      'href',
      '/catalog/default/component/invoice-service',
    );
    expect(
      screen.queryByRole('button', { name: 'Helpful' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Review a diff' }));
    expect(
      screen.getByRole('form', { name: 'Review a diff' }),
    ).toBeInTheDocument();
  });
});
