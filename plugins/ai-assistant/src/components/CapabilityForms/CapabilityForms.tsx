import { FormEvent, ReactNode, useState } from 'react';
import {
  Box,
  Button,
  Chip,
  List,
  ListItem,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { CodeSnippet, Link, MarkdownContent } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  aiAssistantApiRef,
  CodeReview,
  CodeSuggestion,
  Documentation,
  RootCauseAnalysis,
} from '../../api/AiAssistantClient';

/** A form that sends once, shows a progress label while it waits and an error a person can act on. */
function useSubmission<T>(send: () => Promise<T>) {
  const [result, setResult] = useState<T>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setResult(await send());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { result, error, busy, submit };
}

const Generated = ({ children }: { children: ReactNode }) => (
  <Box mt={2}>
    <Chip size="small" color="secondary" label="AI-generated" /> {children}
  </Box>
);

const SubmitButton = ({ busy, label }: { busy: boolean; label: string }) => (
  <Button type="submit" variant="contained" color="primary" disabled={busy}>
    {busy ? 'Working…' : label}
  </Button>
);

/** The error, the service and the stack → ranked root-cause hypotheses, each with its evidence. */
export const AnalyzeErrorForm = ({ entityRef }: { entityRef?: string }) => {
  const api = useApi(aiAssistantApiRef);
  const [message, setMessage] = useState('');
  const [stack, setStack] = useState('');
  const [service, setService] = useState(entityRef ?? '');
  const { result, error, busy, submit } = useSubmission<RootCauseAnalysis>(() =>
    api.analyzeError({
      message,
      ...(stack ? { stack } : {}),
      ...(service ? { entityRef: service } : {}),
    }),
  );
  return (
    <form onSubmit={submit} aria-label="Analyze an error">
      <TextField
        id="ai-error-message"
        fullWidth
        required
        margin="dense"
        variant="outlined"
        label="Error message"
        value={message}
        onChange={e => setMessage(e.target.value)}
        inputProps={{ maxLength: 4000 }}
      />
      <TextField
        id="ai-service-entity-ref-e-g-component-default"
        fullWidth
        margin="dense"
        variant="outlined"
        label="Service (entity ref, e.g. component:default/invoice-service)"
        value={service}
        onChange={e => setService(e.target.value)}
        inputProps={{ maxLength: 512 }}
      />
      <TextField
        id="ai-stack-trace-optional"
        fullWidth
        multiline
        minRows={4}
        margin="dense"
        variant="outlined"
        label="Stack trace (optional)"
        value={stack}
        onChange={e => setStack(e.target.value)}
        inputProps={{ maxLength: 20000 }}
      />
      <SubmitButton busy={busy} label="Analyze" />
      {error && <Alert severity="error">{error}</Alert>}
      {result && (
        <Generated>
          <List aria-label="Hypotheses">
            {result.hypotheses.map((hypothesis, i) => (
              <ListItem key={i} alignItems="flex-start">
                <ListItemText
                  primary={`${Math.round(hypothesis.likelihood * 100)} %: ${
                    hypothesis.title
                  }`}
                  secondary={
                    <>
                      {hypothesis.explanation}
                      {hypothesis.evidence.map(source => (
                        <span key={source.id}>
                          {' '}
                          <Link to={source.url}>
                            [{source.id}] {source.title}
                          </Link>
                        </span>
                      ))}
                    </>
                  }
                />
              </ListItem>
            ))}
          </List>
        </Generated>
      )}
    </form>
  );
};

/** A request and the service's language and framework → code to start from. */
export const GenerateCodeForm = ({ entityRef }: { entityRef?: string }) => {
  const api = useApi(aiAssistantApiRef);
  const [prompt, setPrompt] = useState('');
  const [language, setLanguage] = useState('');
  const [framework, setFramework] = useState('');
  const { result, error, busy, submit } = useSubmission<CodeSuggestion>(() =>
    api.generateCode({
      prompt,
      ...(entityRef ? { entityRef } : {}),
      service: {
        ...(language ? { language } : {}),
        ...(framework ? { framework } : {}),
      },
    }),
  );
  return (
    <form onSubmit={submit} aria-label="Generate code">
      <TextField
        id="ai-what-should-the-code-do"
        fullWidth
        required
        multiline
        minRows={2}
        margin="dense"
        variant="outlined"
        label="What should the code do?"
        value={prompt}
        onChange={e => setPrompt(e.target.value)}
        inputProps={{ maxLength: 4000 }}
      />
      <Box display="flex" style={{ gap: 8 }}>
        <TextField
          id="ai-language-go-java-typescript"
          margin="dense"
          variant="outlined"
          label="Language (go, java, typescript)"
          value={language}
          onChange={e => setLanguage(e.target.value)}
          inputProps={{ maxLength: 50 }}
        />
        <TextField
          id="ai-framework"
          margin="dense"
          variant="outlined"
          label="Framework"
          value={framework}
          onChange={e => setFramework(e.target.value)}
          inputProps={{ maxLength: 100 }}
        />
      </Box>
      <SubmitButton busy={busy} label="Generate" />
      {error && <Alert severity="error">{error}</Alert>}
      {result && (
        <Generated>
          <Typography variant="body2">{result.explanation}</Typography>
          <CodeSnippet
            text={result.code}
            language={result.language}
            showCopyCodeButton
          />
        </Generated>
      )}
    </form>
  );
};

/** Code → Markdown ready for a service's TechDocs. */
export const GenerateDocsForm = () => {
  const api = useApi(aiAssistantApiRef);
  const [title, setTitle] = useState('');
  const [code, setCode] = useState('');
  const { result, error, busy, submit } = useSubmission<Documentation>(() =>
    api.generateDocumentation({ code, ...(title ? { title } : {}) }),
  );
  return (
    <form onSubmit={submit} aria-label="Generate documentation">
      <TextField
        id="ai-page-title"
        fullWidth
        margin="dense"
        variant="outlined"
        label="Page title"
        value={title}
        onChange={e => setTitle(e.target.value)}
        inputProps={{ maxLength: 200 }}
      />
      <TextField
        id="ai-code"
        fullWidth
        required
        multiline
        minRows={8}
        margin="dense"
        variant="outlined"
        label="Code"
        value={code}
        onChange={e => setCode(e.target.value)}
        inputProps={{ maxLength: 100000 }}
      />
      <SubmitButton busy={busy} label="Write the docs" />
      {error && <Alert severity="error">{error}</Alert>}
      {result && (
        <Generated>
          <Typography variant="body2">
            Save this as a page under the service&apos;s docs/ folder:
          </Typography>
          <CodeSnippet
            text={result.markdown}
            language="markdown"
            showCopyCodeButton
          />
          <MarkdownContent content={result.markdown} />
        </Generated>
      )}
    </form>
  );
};

/** A unified diff → review comments, as the golden paths' CI posts them on pull requests. */
export const ReviewDiffForm = () => {
  const api = useApi(aiAssistantApiRef);
  const [diff, setDiff] = useState('');
  const { result, error, busy, submit } = useSubmission<CodeReview>(() =>
    api.reviewCode({ diff }),
  );
  return (
    <form onSubmit={submit} aria-label="Review a diff">
      <TextField
        id="ai-unified-diff-git-diff"
        fullWidth
        required
        multiline
        minRows={8}
        margin="dense"
        variant="outlined"
        label="Unified diff (git diff)"
        value={diff}
        onChange={e => setDiff(e.target.value)}
        inputProps={{ maxLength: 200000 }}
      />
      <SubmitButton busy={busy} label="Review" />
      {error && <Alert severity="error">{error}</Alert>}
      {result && (
        <Generated>
          <Typography variant="body2">{result.summary}</Typography>
          <List aria-label="Review comments">
            {result.comments.map((comment, i) => (
              <ListItem key={i}>
                <ListItemText
                  primary={`${comment.severity}: ${comment.path}:${comment.line}`}
                  secondary={comment.body}
                />
              </ListItem>
            ))}
          </List>
        </Generated>
      )}
    </form>
  );
};
