import { newTurn, withCitationLinks, withEvent } from './turn';

const sources = [
  {
    id: 1,
    title: 'invoice-service (Component)',
    url: '/catalog/default/component/invoice-service',
    kind: 'entity' as const,
    snippet: '',
  },
  {
    id: 2,
    title: 'Runbook',
    url: '/docs/default/component/invoice-service/runbook/',
    kind: 'runbook' as const,
    snippet: '',
  },
];

describe('a streamed turn', () => {
  it('gathers the events of an answer in order', () => {
    const events = [
      { type: 'sources' as const, sources },
      { type: 'token' as const, text: 'Restart the ' },
      { type: 'token' as const, text: 'worker [2]' },
      {
        type: 'tool' as const,
        actionId: 'opencost:get-service-costs',
        title: 'Costs',
        ok: true,
      },
      {
        type: 'done' as const,
        answer: {
          answerId: 'a1',
          aiGenerated: true as const,
          provider: 'p',
          model: 'm',
          usage: { promptTokens: 1, completionTokens: 2 },
          latencyMs: 5,
        },
      },
    ];
    const turn = events.reduce(withEvent, newTurn('what now?'));
    expect(turn).toMatchObject({
      question: 'what now?',
      text: 'Restart the worker [2]',
      sources,
      tools: [{ title: 'Costs', ok: true }],
      streaming: false,
      answer: { answerId: 'a1' },
    });
    expect(
      withEvent(newTurn('q'), {
        type: 'error',
        message: 'No AI provider could answer',
      }),
    ).toMatchObject({
      error: 'No AI provider could answer',
      streaming: false,
    });
    const suggestions = [
      {
        title: 'Answered before: why did dunning stop?',
        url: '/assistant?answer=a0',
        snippet: 'Restart the dunning worker.',
      },
    ];
    expect(
      withEvent(newTurn('q'), {
        type: 'error',
        message: 'No AI provider could answer',
        suggestions,
      }).suggestions,
    ).toEqual(suggestions);
  });

  it('makes each citation a link to its source, and leaves other brackets alone', () => {
    expect(
      withCitationLinks('Restart it [2]; see [1] and [7] or [x](/y).', sources),
    ).toBe(
      'Restart it [[2]](/docs/default/component/invoice-service/runbook/); see [[1]](/catalog/default/component/invoice-service) and [7] or [x](/y).',
    );
  });
});
