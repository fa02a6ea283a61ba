import {
  ChatEvent,
  parseChatEvent,
} from '@internal/plugin-ai-assistant-common';

/** A chat response body's server-sent events, in order. */
export function sseEvents(body: string): ChatEvent[] {
  return body
    .split('\n\n')
    .filter(block => block.startsWith('event: '))
    .map(block => {
      const [eventLine, dataLine] = block.split('\n');
      return parseChatEvent(eventLine.slice(7), dataLine.slice(6));
    })
    .filter((event): event is ChatEvent => !!event);
}

/** The answer's text as the browser shows it: every token event joined. */
export function answerText(events: ChatEvent[]) {
  return events.map(e => (e.type === 'token' ? e.text : '')).join('');
}
