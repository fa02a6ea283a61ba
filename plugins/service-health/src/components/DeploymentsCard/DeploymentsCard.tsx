import { useCallback, useState } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Link,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { Deployment } from '@internal/plugin-service-health-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ageOf, SignalCard } from '../SignalCard';
import { SyncButton } from './SyncButton';

function HealthStatus({ health }: { health: string }) {
  if (health === 'Healthy') return <StatusOK>{health}</StatusOK>;
  if (health === 'Progressing') return <StatusPending>{health}</StatusPending>;
  if (health === 'Degraded' || health === 'Missing')
    return <StatusError>{health}</StatusError>;
  return <StatusWarning>{health}</StatusWarning>;
}

function SyncStatus({ deployment }: { deployment: Deployment }) {
  const phase = deployment.operation?.phase;
  if (phase === 'Failed' || phase === 'Error')
    return <StatusError>sync failed</StatusError>;
  if (phase === 'Running') return <StatusPending>syncing</StatusPending>;
  return deployment.syncStatus === 'Synced' ? (
    <StatusOK>Synced</StatusOK>
  ) : (
    <StatusWarning>{deployment.syncStatus}</StatusWarning>
  );
}

/** The rows, with what a sync started from this page has changed since they were read. */
function DeploymentRows({ items }: { items: Deployment[] }) {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [updated, setUpdated] = useState<Record<string, Deployment>>({});
  const onProgress = useCallback(
    (d: Deployment) =>
      setUpdated(current => ({ ...current, [d.application]: d })),
    [],
  );
  return (
    <>
      {items.map(original => {
        const d = { ...original, ...updated[original.application] };
        return (
          <TableRow key={d.application}>
            <TableCell>
              <Typography variant="body2">
                {d.url ? (
                  <Link to={d.url} color="primary">
                    {d.environment}
                  </Link>
                ) : (
                  d.environment
                )}
              </Typography>
            </TableCell>
            <TableCell>
              <SyncStatus deployment={d} />
              {(d.operation?.phase === 'Failed' ||
                d.operation?.phase === 'Error') && (
                <Typography variant="caption" color="error" display="block">
                  {d.operation.message} {d.url && <Link to={d.url}>logs</Link>}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              <HealthStatus health={d.health} />
            </TableCell>
            <TableCell>
              <code>{d.revision?.slice(0, 7) ?? '—'}</code>
            </TableCell>
            <TableCell>
              {d.lastSyncedAt ? ageOf(d.lastSyncedAt) : '—'}
            </TableCell>
            <TableCell>
              <SyncButton
                entityRef={entityRef}
                deployment={d}
                onProgress={onProgress}
              />
            </TableCell>
          </TableRow>
        );
      })}
    </>
  );
}

/** One row per environment: sync, health, revision, last sync, a failed sync's message with its logs, and a sync button. */
export function DeploymentsCard() {
  return (
    <SignalCard
      title="Deployments"
      signal="deployments"
      load={(api, entityRef) => api.deployments(entityRef)}
    >
      {({ items }) => (
        <Table size="small" aria-label="Deployments per environment">
          <TableHead>
            <TableRow>
              <TableCell>Environment</TableCell>
              <TableCell>Sync</TableCell>
              <TableCell>Health</TableCell>
              <TableCell>Revision</TableCell>
              <TableCell>Last sync</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            <DeploymentRows items={items} />
          </TableBody>
        </Table>
      )}
    </SignalCard>
  );
}
