import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Button,
  List,
  ListItem,
  ListItemSecondaryAction,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useSignal } from '@backstage/plugin-signals-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { N8N_RUNS_CHANNEL } from '@internal/plugin-n8n-common';
import { useEffect } from 'react';
import { n8nApiRef } from '../../api/N8nClient';
import { RunStatusChip } from '../RunStatusChip';

/** The n8n workflows a service names in n8n/workflows, their last runs, and a run button where allowed. */
export const EntityWorkflowsCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const n8nApi = useApi(n8nApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => n8nApi.listEntityWorkflows(entityRef),
    [n8nApi, entityRef],
  );
  const { lastSignal } = useSignal(N8N_RUNS_CHANNEL);
  useEffect(() => {
    if (lastSignal) retry();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal]);
  const [problem, setProblem] = useState<string>();
  const [starting, setStarting] = useState<string>();

  const run = async (workflow: string) => {
    setStarting(workflow);
    setProblem(undefined);
    try {
      await n8nApi.startEntityWorkflow(entityRef, workflow);
      retry();
    } catch (e: any) {
      setProblem(e?.body?.error?.message ?? String(e?.message ?? e));
    } finally {
      setStarting(undefined);
    }
  };

  return (
    <InfoCard title="n8n workflows">
      {loading && !value && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {problem && (
        <Alert severity="error" role="alert">
          {problem}
        </Alert>
      )}
      {value && value.length === 0 && (
        <Typography variant="body2">
          This service names no workflows in its n8n/workflows annotation.
        </Typography>
      )}
      <List dense>
        {value?.map(workflow => {
          const last = workflow.lastRuns[0];
          return (
            <ListItem
              key={workflow.name}
              ContainerProps={{ 'aria-label': workflow.name } as any}
            >
              <ListItemText
                primary={
                  <>
                    {workflow.name}{' '}
                    {last && <RunStatusChip status={last.status} />}
                  </>
                }
                secondary={
                  workflow.reason ??
                  (last
                    ? `last run ${new Date(
                        last.createdAt,
                      ).toLocaleString()} by ${last.requestedBy}`
                    : 'not run from the portal yet')
                }
              />
              <ListItemSecondaryAction>
                <Button
                  size="small"
                  color="primary"
                  disabled={!workflow.runnable || starting !== undefined}
                  onClick={() => run(workflow.name)}
                >
                  {starting === workflow.name ? 'Starting…' : 'Run'}
                </Button>
              </ListItemSecondaryAction>
            </ListItem>
          );
        })}
      </List>
    </InfoCard>
  );
};
