import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import {
  Button,
  Card,
  CardActions,
  CardContent,
  Chip,
  Grid,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  Content,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { WorkflowAction, WorkflowRun } from '@internal/plugin-n8n-common';
import { n8nApiRef } from '../../api/N8nClient';
import { ActionDialog } from '../ActionDialog';
import { RunsTable } from '../RunsTable';

/** An agent's proposal arrives as ?action=<id>&input=<json>: the form opens prefilled for the person to confirm. */
function proposalOf(params: URLSearchParams) {
  const actionId = params.get('action');
  if (!actionId) return undefined;
  try {
    const input = JSON.parse(params.get('input') ?? '{}');
    return {
      actionId,
      input: input && typeof input === 'object' ? input : {},
    };
  } catch {
    return { actionId, input: {} };
  }
}

/** Self-service actions as cards with generated forms, and the caller's runs with live status. */
export const WorkflowsPage = () => {
  const n8nApi = useApi(n8nApiRef);
  const [params, setParams] = useSearchParams();
  const proposal = useMemo(() => proposalOf(params), [params]);
  const {
    value: actions,
    loading,
    error,
  } = useAsync(() => n8nApi.listActions(), [n8nApi]);
  const [chosen, setChosen] = useState<WorkflowAction>();
  const [started, setStarted] = useState<WorkflowRun>();
  if (loading) return <Progress />;
  if (error || !actions) {
    return <ResponseErrorPanel error={error ?? new Error('No actions')} />;
  }
  const proposed = proposal
    ? actions.find(action => action.id === proposal.actionId)
    : undefined;
  const open = chosen ?? proposed;
  const close = () => {
    setChosen(undefined);
    if (proposal) setParams({});
  };
  return (
    <Content>
      {started && (
        <Alert severity="success" onClose={() => setStarted(undefined)}>
          Started {started.workflow}: its status below changes as n8n runs it.
        </Alert>
      )}
      <Grid container spacing={3}>
        {actions.map(action => (
          <Grid item xs={12} md={4} key={action.id}>
            <Card component="section" aria-label={action.title}>
              <CardContent>
                <Typography variant="h6">{action.title}</Typography>
                <Typography variant="body2" color="textSecondary">
                  {action.description}
                </Typography>
                {action.requiresApproval && (
                  <Chip
                    size="small"
                    label="needs an approval"
                    style={{ marginTop: 8 }}
                  />
                )}
              </CardContent>
              <CardActions>
                <Button
                  color="primary"
                  variant="contained"
                  onClick={() => setChosen(action)}
                >
                  Start
                </Button>
              </CardActions>
            </Card>
          </Grid>
        ))}
        <Grid item xs={12}>
          <RunsTable refreshKey={started?.id} />
        </Grid>
      </Grid>
      {open && (
        <ActionDialog
          key={open.id}
          action={open}
          initialInput={!chosen && proposal ? proposal.input : undefined}
          onClose={close}
          onStarted={run => {
            setStarted(run);
            close();
          }}
        />
      )}
    </Content>
  );
};
