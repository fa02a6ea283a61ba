import {
  Link,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusRunning,
} from '@backstage/core-components';
import { WorkflowRun } from '@internal/plugin-service-health-common';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { ageOf, SignalCard } from '../SignalCard';

function RunStatus({ run }: { run: WorkflowRun }) {
  if (run.status !== 'completed')
    return <StatusRunning>{run.status}</StatusRunning>;
  if (run.conclusion === 'success') return <StatusOK>success</StatusOK>;
  if (run.conclusion === 'failure') return <StatusError>failure</StatusError>;
  return <StatusAborted>{run.conclusion ?? 'unknown'}</StatusAborted>;
}

/** Open pull requests and the latest GitHub Actions runs. */
export function ChangesCard() {
  return (
    <SignalCard
      title="Pull requests and builds"
      signal="changes"
      load={(api, entityRef) => api.changes(entityRef)}
    >
      {({ pullRequests, runs }) => (
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <Typography variant="subtitle2">Open pull requests</Typography>
            <List dense aria-label="Open pull requests">
              {pullRequests.map(pull => (
                <ListItem key={pull.number}>
                  <ListItemText
                    primary={
                      <Link to={pull.url}>
                        #{pull.number} {pull.title}
                      </Link>
                    }
                    secondary={`${pull.author}${
                      pull.draft ? ' · draft' : ''
                    } · opened ${ageOf(pull.createdAt)}`}
                  />
                </ListItem>
              ))}
            </List>
          </Grid>
          <Grid item xs={12} md={6}>
            <Typography variant="subtitle2">Latest builds</Typography>
            <List dense aria-label="Latest builds">
              {runs.map(run => (
                <ListItem key={run.id}>
                  <ListItemText
                    primary={<Link to={run.url}>{run.title}</Link>}
                    secondary={
                      <>
                        <RunStatus run={run} /> {run.branch} ·{' '}
                        {ageOf(run.createdAt)}
                      </>
                    }
                  />
                </ListItem>
              ))}
            </List>
          </Grid>
        </Grid>
      )}
    </SignalCard>
  );
}
