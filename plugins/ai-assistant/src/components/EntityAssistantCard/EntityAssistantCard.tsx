import { FormEvent, useState } from 'react';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useNavigate } from 'react-router-dom';
import { rootRouteRef } from '../../routes';

/** "Ask about this service": the question opens the assistant about this entity and asks it there. */
export const EntityAssistantCard = () => {
  const { entity } = useEntity();
  const assistant = useRouteRef(rootRouteRef);
  const navigate = useNavigate();
  const [question, setQuestion] = useState('');
  const entityRef = stringifyEntityRef(entity);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams({
      entity: entityRef,
      q: question.trim(),
    });
    navigate(`${assistant?.() ?? '/assistant'}?${params}`);
  };
  return (
    <InfoCard title="Ask about this service">
      <Typography variant="body2" color="textSecondary" paragraph>
        The assistant answers from {entity.metadata.name}&apos;s catalog entry,
        docs, deployments, monitors and errors, with sources, and only from what
        you may see.
      </Typography>
      <form onSubmit={submit} aria-label={`Ask about ${entity.metadata.name}`}>
        <Box display="flex" style={{ gap: 8 }}>
          <TextField
            id="ai-e-g-why-is-entity-failing"
            fullWidth
            size="small"
            variant="outlined"
            label={`e.g. why is ${entity.metadata.name} failing?`}
            value={question}
            onChange={e => setQuestion(e.target.value)}
            inputProps={{ maxLength: 4000 }}
          />
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={!question.trim()}
          >
            Ask
          </Button>
        </Box>
      </form>
    </InfoCard>
  );
};
