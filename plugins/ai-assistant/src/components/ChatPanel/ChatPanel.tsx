import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Box, Button, Chip, TextField } from '@material-ui/core';
import { useApi } from '@backstage/frontend-plugin-api';
import { aiAssistantApiRef } from '../../api/AiAssistantClient';
import { AnswerView, newTurn, Turn, withEvent } from '../AnswerView';

/** Earlier turns sent along with a question, so a follow-up can say "it". */
const HISTORY_TURNS = 4;

export interface ChatPanelProps {
  /** The entity the questions are about, e.g. from "Ask about this service". */
  entityRef?: string;
  /** A question to ask at once (from a link). */
  initialQuestion?: string;
}

/** Questions and their streamed answers, newest last. */
export const ChatPanel = ({ entityRef, initialQuestion }: ChatPanelProps) => {
  const api = useApi(aiAssistantApiRef);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [question, setQuestion] = useState('');
  const [aboutEntity, setAboutEntity] = useState(entityRef);
  const asking = turns.some(turn => turn.streaming);
  const abort = useRef<AbortController>();

  const ask = useCallback(
    async (text: string) => {
      const trimmed = text.trim();
      if (!trimmed) return;
      const history = turns
        .filter(turn => turn.answer)
        .slice(-HISTORY_TURNS)
        .flatMap(turn => [
          { role: 'user' as const, content: turn.question },
          { role: 'assistant' as const, content: turn.text },
        ]);
      const index = turns.length;
      setTurns(current => [...current, newTurn(trimmed, aboutEntity)]);
      setQuestion('');
      const update = (change: (turn: Turn) => Turn) =>
        setTurns(current =>
          current.map((turn, i) => (i === index ? change(turn) : turn)),
        );
      abort.current = new AbortController();
      try {
        await api.chat(
          {
            question: trimmed,
            ...(aboutEntity ? { entityRef: aboutEntity } : {}),
            history,
          },
          event => update(turn => withEvent(turn, event)),
          abort.current.signal,
        );
        update(turn => (turn.streaming ? { ...turn, streaming: false } : turn));
      } catch (error) {
        update(turn => ({
          ...turn,
          streaming: false,
          error: (error as Error).message,
        }));
      }
    },
    [api, turns, aboutEntity],
  );

  const asked = useRef(false);
  useEffect(() => {
    if (initialQuestion && !asked.current) {
      asked.current = true;
      ask(initialQuestion);
    }
  }, [initialQuestion, ask]);
  useEffect(() => () => abort.current?.abort(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    ask(question);
  };
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      {turns.map((turn, i) => (
        <AnswerView key={i} turn={turn} />
      ))}
      <form onSubmit={submit} aria-label="Ask the assistant">
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          {aboutEntity && (
            <Chip
              label={`About ${aboutEntity}`}
              onDelete={() => setAboutEntity(undefined)}
            />
          )}
          <TextField
            id="ai-ask-about-a-service-its-docs-a-deploymen"
            fullWidth
            variant="outlined"
            label="Ask about a service, its docs, a deployment or an error"
            value={question}
            onChange={e => setQuestion(e.target.value)}
            inputProps={{ maxLength: 4000 }}
          />
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={asking || !question.trim()}
          >
            Ask
          </Button>
        </Box>
      </form>
    </Box>
  );
};
