import { Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ageOf, SignalCard } from '../SignalCard';

/** Unresolved Sentry issues: how often, how many users, first and last seen. */
export function ErrorsCard() {
  return (
    <SignalCard
      title="Errors"
      signal="errors"
      load={(api, entityRef) => api.errors(entityRef)}
    >
      {({ items }) =>
        items.length === 0 ? (
          <Typography>No unresolved issues.</Typography>
        ) : (
          <Table size="small" aria-label="Unresolved Sentry issues">
            <TableHead>
              <TableRow>
                <TableCell>Issue</TableCell>
                <TableCell align="right">Events (24 h)</TableCell>
                <TableCell align="right">Users</TableCell>
                <TableCell>First seen</TableCell>
                <TableCell>Last seen</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(issue => (
                <TableRow key={issue.id}>
                  <TableCell>
                    <Link to={issue.url}>{issue.title}</Link>
                    <Typography variant="caption" display="block">
                      {issue.shortId} · {issue.level} · {issue.status}
                    </Typography>
                  </TableCell>
                  <TableCell align="right">
                    {issue.eventsLast24h ?? '—'} ({issue.count} in all)
                  </TableCell>
                  <TableCell align="right">{issue.userCount}</TableCell>
                  <TableCell>{ageOf(issue.firstSeen)}</TableCell>
                  <TableCell>{ageOf(issue.lastSeen)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )
      }
    </SignalCard>
  );
}
