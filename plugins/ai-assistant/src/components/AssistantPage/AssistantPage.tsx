import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Box, Tab, Tabs, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { aiAssistantApiRef } from '../../api/AiAssistantClient';
import { AnswerView, newTurn } from '../AnswerView';
import {
  AnalyzeErrorForm,
  GenerateCodeForm,
  GenerateDocsForm,
  ReviewDiffForm,
} from '../CapabilityForms';
import { ChatPanel } from '../ChatPanel';

/** An earlier answer opened from a source link (/assistant?answer=<id>). */
const EarlierAnswer = ({ answerId }: { answerId: string }) => {
  const api = useApi(aiAssistantApiRef);
  const { value, loading, error } = useAsync(
    () => api.getAnswer(answerId),
    [api, answerId],
  );
  if (loading) return <Progress />;
  if (error || !value)
    return <ResponseErrorPanel error={error ?? new Error('No answer')} />;
  return (
    <AnswerView
      canRate={value.yours}
      turn={{
        ...newTurn(value.question),
        text: value.answer,
        sources: value.sources,
        streaming: false,
      }}
    />
  );
};

const TABS = [
  'Ask',
  'Analyze an error',
  'Generate code',
  'Generate docs',
  'Review a diff',
];

/**
 * The assistant: chat with sources, and the forms of its other capabilities. ?entity=<ref> asks about one
 * service; ?q=<question> asks at once (the "Ask about this service" card links here).
 */
export const AssistantPage = () => {
  const [params] = useSearchParams();
  const entityRef = params.get('entity') ?? undefined;
  const question = params.get('q') ?? undefined;
  const answerId = params.get('answer') ?? undefined;
  const [tab, setTab] = useState(0);
  return (
    <Content>
      <Typography variant="body2" color="textSecondary" paragraph>
        Answers from the catalog, the docs and the live data you may see, with
        sources. Every answer is AI-generated: check it before you act on it.
      </Typography>
      <Tabs
        value={tab}
        onChange={(_e, value) => setTab(value)}
        indicatorColor="primary"
      >
        {TABS.map(label => (
          <Tab key={label} label={label} />
        ))}
      </Tabs>
      <Box mt={2}>
        {tab === 0 && (
          <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
            {answerId && <EarlierAnswer answerId={answerId} />}
            <ChatPanel entityRef={entityRef} initialQuestion={question} />
          </Box>
        )}
        {tab === 1 && <AnalyzeErrorForm entityRef={entityRef} />}
        {tab === 2 && <GenerateCodeForm entityRef={entityRef} />}
        {tab === 3 && <GenerateDocsForm />}
        {tab === 4 && <ReviewDiffForm />}
      </Box>
    </Content>
  );
};
