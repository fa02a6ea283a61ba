import {
  Link,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { ageOf, SignalCard } from '../SignalCard';

function MonitorState({ state }: { state: string }) {
  if (state === 'Alert') return <StatusError>Alert</StatusError>;
  if (state === 'OK') return <StatusOK>OK</StatusOK>;
  return <StatusWarning>{state}</StatusWarning>;
}

/** Datadog monitors of the service, alerting ones first; the card turns red while one alerts. */
export function MonitorsCard() {
  return (
    <SignalCard
      title="Monitors"
      signal="monitors"
      load={(api, entityRef) => api.monitors(entityRef)}
      alerting={({ items }) => items.some(m => m.state === 'Alert')}
    >
      {({ items, dashboardUrl }) => (
        <>
          <List dense aria-label="Datadog monitors">
            {items.map(m => (
              <ListItem key={m.id}>
                <ListItemText
                  primary={<Link to={m.url}>{m.name}</Link>}
                  secondary={
                    <>
                      <MonitorState state={m.state} />
                      {m.since && ` since ${ageOf(m.since)}`}
                    </>
                  }
                />
              </ListItem>
            ))}
          </List>
          <Box mt={1}>
            <Link to={dashboardUrl}>Open the Datadog dashboard</Link>
          </Box>
        </>
      )}
    </SignalCard>
  );
}
