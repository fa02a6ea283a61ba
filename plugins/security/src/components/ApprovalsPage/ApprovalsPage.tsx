import { useCallback, useState } from 'react';
import {
  Content,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/frontend-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Tab,
  Tabs,
  TextField,
} from '@material-ui/core';
import { ApprovalRequest } from '@internal/plugin-security-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ApprovalPage, securityApiRef } from '../../api/SecurityClient';

type View = 'inbox' | 'mine' | 'history';

const baseColumns: TableColumn<ApprovalRequest>[] = [
  { title: 'Action', field: 'action' },
  { title: 'Service', field: 'entityRef' },
  { title: 'Requested by', field: 'requestedBy' },
  { title: 'Justification', field: 'justification' },
  { title: 'Status', field: 'status' },
  { title: 'Expires', render: row => new Date(row.expiresAt).toLocaleString() },
];

const decidedColumns: TableColumn<ApprovalRequest>[] = [
  { title: 'Decided by', field: 'decidedBy' },
  { title: 'Reason', field: 'decisionReason' },
];

function DecisionDialog(props: {
  request?: ApprovalRequest;
  decision: 'approve' | 'deny';
  onClose(): void;
  onDecided(): void;
}) {
  const securityApi = useApi(securityApiRef);
  const alertApi = useApi(alertApiRef);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!props.request) return;
    setBusy(true);
    try {
      await securityApi.decideApproval(
        props.request.id,
        props.decision,
        reason,
      );
      alertApi.post({
        message: `Request ${
          props.decision === 'approve' ? 'approved' : 'denied'
        }`,
        severity: 'success',
        display: 'transient',
      });
      props.onDecided();
    } catch (e) {
      alertApi.post({ message: (e as Error).message, severity: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={!!props.request} onClose={props.onClose} fullWidth>
      <DialogTitle>
        {props.decision === 'approve' ? 'Approve' : 'Deny'}{' '}
        {props.request?.action} on {props.request?.entityRef}
      </DialogTitle>
      <DialogContent>
        <TextField
          id="approval-decision-reason"
          label="Reason"
          required
          fullWidth
          multiline
          minRows={2}
          value={reason}
          onChange={e => setReason(e.target.value)}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          disabled={busy || reason.trim() === ''}
          onClick={submit}
        >
          {props.decision === 'approve' ? 'Approve' : 'Deny'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export const ApprovalsPage = () => {
  const securityApi = useApi(securityApiRef);
  const [view, setView] = useState<View>('inbox');
  const [deciding, setDeciding] = useState<{
    request: ApprovalRequest;
    decision: 'approve' | 'deny';
  }>();
  // Older pages the person asked for, after the first one.
  const [older, setOlder] = useState<ApprovalPage[]>([]);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const pageOf = useCallback(
    (cursor?: string) => {
      if (view === 'inbox')
        return securityApi.listApprovals('inbox', ['pending'], cursor);
      if (view === 'mine')
        return securityApi.listApprovals('mine', undefined, cursor);
      return securityApi.listApprovals(
        'inbox',
        ['approved', 'denied', 'consumed', 'expired'],
        cursor,
      );
    },
    [securityApi, view],
  );
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    setOlder([]);
    return pageOf();
  }, [pageOf]);
  const pages = value ? [value, ...older] : [];
  const requests = pages.flatMap(page => page.items);
  const nextCursor = pages[pages.length - 1]?.nextCursor;
  const loadOlder = async () => {
    setLoadingOlder(true);
    try {
      const page = await pageOf(nextCursor);
      setOlder(current => [...current, page]);
    } finally {
      setLoadingOlder(false);
    }
  };

  const actionColumn: TableColumn<ApprovalRequest> = {
    title: 'Decide',
    render: row => (
      <>
        <Button
          size="small"
          color="primary"
          onClick={() => setDeciding({ request: row, decision: 'approve' })}
        >
          Approve
        </Button>
        <Button
          size="small"
          onClick={() => setDeciding({ request: row, decision: 'deny' })}
        >
          Deny
        </Button>
      </>
    ),
  };
  const columns =
    view === 'inbox'
      ? [...baseColumns, actionColumn]
      : [...baseColumns, ...decidedColumns];

  return (
    <Content>
      <Tabs
        value={view}
        onChange={(_, next) => setView(next)}
        indicatorColor="primary"
      >
        <Tab value="inbox" label="Waiting for me" />
        <Tab value="mine" label="My requests" />
        <Tab value="history" label="History" />
      </Tabs>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <Table<ApprovalRequest>
          title={`${requests.length}${nextCursor ? '+' : ''} request${
            requests.length === 1 ? '' : 's'
          }`}
          options={{ paging: requests.length > 20, pageSize: 20, search: true }}
          columns={columns}
          data={requests}
          emptyContent={<div style={{ padding: 16 }}>Nothing here.</div>}
        />
      )}
      {nextCursor && (
        <Button onClick={loadOlder} disabled={loadingOlder}>
          Load older requests
        </Button>
      )}
      <DecisionDialog
        request={deciding?.request}
        decision={deciding?.decision ?? 'approve'}
        onClose={() => setDeciding(undefined)}
        onDecided={() => {
          setDeciding(undefined);
          retry();
        }}
      />
    </Content>
  );
};
