import { Deployment } from '@internal/plugin-service-health-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { ageOf, SignalCard } from '../SignalCard';

/** Every environment's syncs, newest first: what was deployed where, and when. */
export function historyRows(deployments: Deployment[]) {
  return deployments
    .flatMap(d =>
      (d.history ?? []).map(entry => ({
        environment: d.environment,
        application: d.application,
        ...entry,
      })),
    )
    .sort((a, b) => b.deployedAt.localeCompare(a.deployedAt));
}

export function DeploymentHistoryCard() {
  return (
    <SignalCard
      title="Deployment history"
      signal="deployments"
      load={(api, entityRef) => api.deployments(entityRef)}
    >
      {({ items }) => (
        <Table size="small" aria-label="Deployment history">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Environment</TableCell>
              <TableCell>Revision</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {historyRows(items)
              .slice(0, 15)
              .map(row => (
                <TableRow
                  key={`${row.application}:${row.revision}:${row.deployedAt}`}
                >
                  <TableCell>{ageOf(row.deployedAt)}</TableCell>
                  <TableCell>{row.environment}</TableCell>
                  <TableCell>
                    <code>{row.revision.slice(0, 7)}</code>
                  </TableCell>
                </TableRow>
              ))}
          </TableBody>
        </Table>
      )}
    </SignalCard>
  );
}
