import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ChatEvent } from '@internal/plugin-ai-assistant-common';
import { AiAssistantApi, aiAssistantApiRef } from '../../api/AiAssistantClient';
import { ChatPanel } from './ChatPanel';

const SOURCE = {
  id: 1,
  title: 'invoice-service (Component)',
  url: '/catalog/default/component/invoice-service',
  kind: 'entity' as const,
  entityRef: 'component:default/invoice-service',
  snippet: 'Owns the invoice lifecycle.',
};

/** A chat that streams its answer word by word, as the backend does. */
function streamingChat(calls: unknown[]) {
  return async (request: unknown, onEvent: (event: ChatEvent) => void) => {
    calls.push(request);
    onEvent({ type: 'sources', sources: [SOURCE] });
    for (const text of ['It is ', 'owned by ', 'team-billing [1].']) {
      onEvent({ type: 'token', text });
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    onEvent({
      type: 'done',
      answer: {
        answerId: `a${calls.length}`,
        aiGenerated: true,
        provider: 'sandbox-primary',
        model: 'gpt-4o-mini',
        usage: { promptTokens: 1, completionTokens: 1 },
        latencyMs: 30,
      },
    });
  };
}

describe('ChatPanel', () => {
  it('asks about the service it was opened for at once, streams the answer, and sends the conversation with a follow-up', async () => {
    const calls: any[] = [];
    await renderInTestApp(
      <ChatPanel
        entityRef="component:default/invoice-service"
        initialQuestion="Who owns invoice-service?"
      />,
      {
        apis: [
          [
            aiAssistantApiRef,
            {
              chat: streamingChat(calls),
            } as Partial<AiAssistantApi> as AiAssistantApi,
          ],
        ],
      },
    );
    expect(
      await screen.findByText(/It is owned by team-billing/),
    ).toBeInTheDocument();
    expect(calls[0]).toEqual({
      question: 'Who owns invoice-service?',
      entityRef: 'component:default/invoice-service',
      history: [],
    });
    expect(
      screen.getByText('About component:default/invoice-service'),
    ).toBeInTheDocument();

    await userEvent.type(
      screen.getByLabelText(/Ask about a service/),
      'And who is on call?',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Ask' }));
    expect(
      await screen.findByRole('article', {
        name: 'Answer to: And who is on call?',
      }),
    ).toBeInTheDocument();
    expect(calls[1]).toEqual({
      question: 'And who is on call?',
      entityRef: 'component:default/invoice-service',
      history: [
        { role: 'user', content: 'Who owns invoice-service?' },
        { role: 'assistant', content: 'It is owned by team-billing [1].' },
      ],
    });
  });

  it('shows why an answer could not be given', async () => {
    const chat = async () => {
      throw new Error(
        'You have asked 20 times this minute, the most allowed; try again in 12 s',
      );
    };
    await renderInTestApp(<ChatPanel initialQuestion="hello?" />, {
      apis: [
        [
          aiAssistantApiRef,
          { chat } as Partial<AiAssistantApi> as AiAssistantApi,
        ],
      ],
    });
    expect(await screen.findByText(/try again in 12 s/)).toBeInTheDocument();
  });
});
