import { useState } from 'react';
import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  List,
  ListItem,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Link, MarkdownContent } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { ActionProposal } from '@internal/plugin-ai-assistant-common';
import { aiAssistantApiRef, Proposal } from '../../api/AiAssistantClient';
import { Turn, withCitationLinks } from './turn';

const KIND_LABELS: Record<string, string> = {
  entity: 'catalog',
  api: 'API',
  techdocs: 'docs',
  feishu: 'Feishu docs',
  runbook: 'runbook',
  incident: 'incident review',
  answer: 'earlier answer',
  operational: 'live data',
};

/** A change the assistant proposed: it runs only when the person confirms it here. */
const ProposalCard = ({ proposal }: { proposal: ActionProposal }) => {
  const api = useApi(aiAssistantApiRef);
  const [result, setResult] = useState<Proposal>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      setResult(await api.confirmProposal(proposal.id));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Alert
      severity={result?.status === 'failed' || error ? 'error' : 'info'}
      action={
        !result && (
          <Button
            color="primary"
            variant="contained"
            size="small"
            disabled={busy}
            onClick={confirm}
          >
            Confirm
          </Button>
        )
      }
    >
      The assistant proposes: <strong>{proposal.title}</strong> with{' '}
      <code>{JSON.stringify(proposal.input)}</code>.{' '}
      {result
        ? `It ${
            result.status === 'confirmed' ? 'ran' : 'failed'
          }: ${JSON.stringify(result.output)}`
        : error ??
          `It runs only if you confirm it (until ${new Date(
            proposal.expiresAt,
          ).toLocaleTimeString()}).`}
    </Alert>
  );
};

/** Helpful or wrong, with a note: helpful answers become sources for the next similar question. */
const Feedback = ({ answerId }: { answerId: string }) => {
  const api = useApi(aiAssistantApiRef);
  const [wrong, setWrong] = useState(false);
  const [note, setNote] = useState('');
  const [sent, setSent] = useState<string>();
  const send = async (rating: 'helpful' | 'wrong') => {
    try {
      await api.feedback(answerId, rating, note || undefined);
      setSent(
        rating === 'helpful'
          ? 'Thanks: the next similar question will find this answer.'
          : 'Thanks: this answer will not be used again.',
      );
    } catch (e) {
      setSent(`Your feedback was not saved: ${(e as Error).message}`);
    }
  };
  if (sent) return <Typography variant="caption">{sent}</Typography>;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <Button size="small" variant="outlined" onClick={() => send('helpful')}>
        Helpful
      </Button>
      {wrong ? (
        <>
          <TextField
            id={`ai-what-is-wrong-${answerId}`}
            size="small"
            label="What is wrong?"
            value={note}
            onChange={e => setNote(e.target.value)}
            inputProps={{ maxLength: 2000 }}
          />
          <Button size="small" variant="outlined" onClick={() => send('wrong')}>
            Send
          </Button>
        </>
      ) : (
        <Button size="small" variant="outlined" onClick={() => setWrong(true)}>
          Wrong
        </Button>
      )}
    </Box>
  );
};

/** One answer: the streamed text with clickable citations, its sources, tools, proposals and feedback. */
export const AnswerView = ({
  turn,
  canRate = true,
}: {
  turn: Turn;
  /** Only the asker rates an answer. */
  canRate?: boolean;
}) => (
  <Card component="article" aria-label={`Answer to: ${turn.question}`}>
    <CardContent>
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
        <Typography variant="subtitle1" style={{ flexGrow: 1 }}>
          {turn.question}
        </Typography>
        <Chip size="small" color="secondary" label="AI-generated" />
        {turn.answer && (
          <Typography variant="caption" color="textSecondary">
            {turn.answer.provider} · {turn.answer.model} ·{' '}
            {turn.answer.latencyMs} ms
          </Typography>
        )}
      </Box>
      {turn.tools.map((tool, i) => (
        <Typography
          key={i}
          variant="caption"
          display="block"
          color="textSecondary"
        >
          {tool.ok ? 'Looked up' : 'Could not look up'} {tool.title} as you
        </Typography>
      ))}
      {turn.text ? (
        <MarkdownContent content={withCitationLinks(turn.text, turn.sources)} />
      ) : (
        turn.streaming && (
          <Typography color="textSecondary">Thinking…</Typography>
        )
      )}
      {turn.error && <Alert severity="error">{turn.error}</Alert>}
      {turn.suggestions && turn.suggestions.length > 0 && (
        <>
          <Typography variant="overline">
            Earlier answers to similar questions, marked helpful by their askers
          </Typography>
          <List dense aria-label="Helpful earlier answers">
            {turn.suggestions.map(suggestion => (
              <ListItem key={suggestion.url}>
                <ListItemText
                  primary={<Link to={suggestion.url}>{suggestion.title}</Link>}
                  secondary={suggestion.snippet}
                />
              </ListItem>
            ))}
          </List>
        </>
      )}
      {turn.proposals.map(proposal => (
        <ProposalCard key={proposal.id} proposal={proposal} />
      ))}
      {turn.sources.length > 0 && (
        <>
          <Typography variant="overline">Sources</Typography>
          <List dense aria-label="Sources">
            {turn.sources.map(source => (
              <ListItem key={source.id} id={`source-${source.id}`}>
                <ListItemText
                  primary={
                    <>
                      [{source.id}] <Link to={source.url}>{source.title}</Link>{' '}
                      <Chip
                        size="small"
                        variant="outlined"
                        label={KIND_LABELS[source.kind] ?? source.kind}
                      />
                    </>
                  }
                  secondary={source.snippet}
                />
              </ListItem>
            ))}
          </List>
        </>
      )}
      {turn.answer && canRate && <Feedback answerId={turn.answer.answerId} />}
    </CardContent>
  </Card>
);
