import { useCallback, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  MigrationDocument,
  PermissionReportRow,
} from '@internal/plugin-feishu-migration-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { feishuMigrationApiRef } from '../../api/FeishuMigrationClient';

const ACTIVE = [
  'queued',
  'converting',
  'validating',
  'delivering',
  'rolling_back',
];

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

const documentColumns: TableColumn<MigrationDocument>[] = [
  { title: 'Page', field: 'title' },
  { title: 'File', field: 'path' },
  { title: 'Status', field: 'status' },
  {
    title: 'Headings',
    render: d =>
      d.validation
        ? `${d.validation.headings.kept}/${d.validation.headings.source}`
        : '',
  },
  {
    title: 'Text',
    render: d => (d.validation ? percent(d.validation.textShare) : ''),
  },
  {
    title: 'Images',
    render: d =>
      d.validation
        ? `${d.validation.images.resolved}/${d.validation.images.source}`
        : '',
  },
  {
    title: 'Tables',
    render: d =>
      d.validation
        ? `${d.validation.tables.output}/${d.validation.tables.source}`
        : '',
  },
  {
    title: 'Links',
    render: d =>
      d.validation ? `${d.validation.links.relative} relative` : '',
  },
  {
    title: 'Result',
    render: d => {
      if (d.error) return d.error;
      if (!d.validation) return '';
      const notes = [...d.validation.problems, ...d.warnings];
      return notes.length ? notes.join('; ') : 'OK';
    },
  },
];

const permissionColumns: TableColumn<PermissionReportRow>[] = [
  { title: 'Feishu member', render: r => `${r.memberType}:${r.memberId}` },
  { title: 'Permission', field: 'perm' },
  { title: 'Pages', field: 'documents' },
  {
    title: 'In Backstage',
    render: r =>
      r.backstageRole ?? 'not mapped: check who should read these pages',
  },
];

/** One migration: progress while it runs, then the validation report, permission mapping and rollback. */
export function MigrationDetails(props: { id: string }) {
  const api = useApi(feishuMigrationApiRef);
  const {
    value: job,
    loading,
    error,
    retry,
  } = useAsyncRetry(() => api.getMigration(props.id), [api, props.id]);
  const [actionError, setActionError] = useState<Error>();
  const { lastSignal } = useSignal(`feishu-migration:${props.id}`);
  useEffect(() => {
    if (lastSignal) retry();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal]);
  const active = job ? ACTIVE.includes(job.status) : false;
  // Signals are the fast path; polling keeps the bar moving when they are not delivered.
  useInterval(retry, active ? 1500 : null);

  const act = useCallback(
    async (action: 'rollback' | 'retry') => {
      setActionError(undefined);
      try {
        await (action === 'rollback'
          ? api.rollback(props.id)
          : api.retry(props.id));
        retry();
      } catch (e) {
        setActionError(e as Error);
      }
    },
    [api, props.id, retry],
  );

  if (!job && loading) return <Progress />;
  if (error && !job) return <ResponseErrorPanel error={error} />;
  if (!job) return null;

  const done = job.documentsConverted + job.documentsFailed;
  const canRollBack = ['completed', 'failed'].includes(job.status);
  return (
    <InfoCard title={`Migration of ${job.spaceName} into ${job.entityRef}`}>
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 8 }}>
        <Chip
          label={job.status.replace('_', ' ')}
          color={job.status === 'failed' ? 'secondary' : 'primary'}
        />
        <Typography variant="body2">
          {done} of {job.documentsTotal} pages converted
          {job.documentsFailed ? `, ${job.documentsFailed} failed` : ''} ·
          started by {job.createdBy} on{' '}
          {new Date(job.createdAt).toLocaleString()}
        </Typography>
      </Box>
      <LinearProgress
        variant="determinate"
        value={job.documentsTotal ? (100 * done) / job.documentsTotal : 0}
        aria-label="Migration progress"
      />
      <Box mt={2}>
        {job.pullRequestUrl && (
          <Typography>
            Pull request:{' '}
            <Link to={job.pullRequestUrl}>{job.pullRequestUrl}</Link>
          </Typography>
        )}
        {job.delivery === 'local-folder' && (
          <Typography>Written to {job.destination}</Typography>
        )}
        {job.mkdocsBuild && (
          <Typography>
            mkdocs build: {job.mkdocsBuild.status} in{' '}
            {(job.mkdocsBuild.durationMs / 1000).toFixed(1)} s
            {job.mkdocsBuild.messages.length
              ? ` (${job.mkdocsBuild.messages.join(' ')})`
              : ''}
          </Typography>
        )}
        {job.error && (
          <Typography color="error" role="alert">
            {job.error}
          </Typography>
        )}
        {job.skipped.length > 0 && (
          <Typography>
            Not migrated:{' '}
            {job.skipped.map(s => `${s.title} (${s.reason})`).join('; ')}
          </Typography>
        )}
        {actionError && (
          <Typography color="error" role="alert">
            {actionError.message}
          </Typography>
        )}
        <Box mt={1} style={{ gap: 8 }} display="flex">
          <Button
            variant="outlined"
            disabled={!canRollBack}
            onClick={() => act('rollback')}
          >
            Roll back
          </Button>
          {job.status === 'failed' && (
            <Button variant="outlined" onClick={() => act('retry')}>
              Retry
            </Button>
          )}
        </Box>
      </Box>
      <Box mt={2}>
        <Table
          title="Validation report"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={documentColumns}
          data={job.documents}
        />
      </Box>
      {job.permissionReport && (
        <Box mt={2}>
          <Table
            title="Feishu permissions and their Backstage mapping"
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={permissionColumns}
            data={job.permissionReport}
          />
        </Box>
      )}
    </InfoCard>
  );
}
