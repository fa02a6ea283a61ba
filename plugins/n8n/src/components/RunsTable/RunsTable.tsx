import { useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import {
  Link,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  isTerminal,
  N8N_RUNS_CHANNEL,
  WorkflowRun,
} from '@internal/plugin-n8n-common';
import { n8nApiRef } from '../../api/N8nClient';
import { RunStatusChip } from '../RunStatusChip';

const when = (iso?: string) => (iso ? new Date(iso).toLocaleString() : '');

function outcomeOf(run: WorkflowRun): string {
  if (run.error) return run.error;
  const message = run.result?.message;
  return typeof message === 'string' ? message : '';
}

const columns: TableColumn<WorkflowRun>[] = [
  { title: 'What', render: run => run.actionId ?? run.workflow },
  { title: 'For', render: run => run.entityRef ?? '' },
  { title: 'Status', render: run => <RunStatusChip status={run.status} /> },
  { title: 'Started', render: run => when(run.createdAt) },
  { title: 'Ended', render: run => when(run.finishedAt) },
  {
    title: 'Result',
    render: run => (
      <>
        {outcomeOf(run)}
        {run.grantId && (
          <>
            {' '}
            <Link to="/security/access">Access granted: see My access</Link>
          </>
        )}
      </>
    ),
  },
];

/** The caller's runs, refreshed whenever the backend signals that one of them moved on. */
export const RunsTable = ({ refreshKey }: { refreshKey?: unknown }) => {
  const n8nApi = useApi(n8nApiRef);
  const { value, error, loading, retry } = useAsyncRetry(
    () => n8nApi.listRuns(),
    [n8nApi],
  );
  const { lastSignal } = useSignal(N8N_RUNS_CHANNEL);
  useEffect(() => {
    if (lastSignal || refreshKey) retry();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal, refreshKey]);
  const inFlight = (value ?? []).some(run => !isTerminal(run.status));
  // Signals are the fast path; polling keeps the status moving when they are not delivered.
  useInterval(retry, inFlight ? 3000 : null);
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <Table<WorkflowRun>
      title="My runs"
      isLoading={loading && !value}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={value ?? []}
      emptyContent={
        <div style={{ padding: 16 }}>You have not started a workflow yet.</div>
      }
    />
  );
};
