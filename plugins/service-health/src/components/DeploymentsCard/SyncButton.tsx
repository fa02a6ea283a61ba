import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { Deployment } from '@internal/plugin-service-health-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { serviceHealthApiRef } from '../../api/ServiceHealthClient';

const POLL_MS = 2000;
const GIVE_UP_MS = 120_000;

/**
 * Starts a sync of one environment and follows it until Argo CD reports its outcome. Whether the person may
 * is decided by the backend (owners and admins; contractors never in production, with an approval where
 * the policy asks); a refusal is shown as the backend words it.
 */
export function SyncButton(props: {
  entityRef: string;
  deployment: Deployment;
  onProgress: (deployment: Deployment) => void;
}) {
  const api = useApi(serviceHealthApiRef);
  const { entityRef, deployment, onProgress } = props;
  const [following, setFollowing] = useState(false);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (!following) return undefined;
    const started = Date.now();
    const timer = setInterval(async () => {
      try {
        const { items } = await api.deployments(entityRef, { refresh: true });
        const current = items.find(
          d => d.application === deployment.application,
        );
        if (current) onProgress(current);
        if (
          current?.operation?.phase !== 'Running' ||
          Date.now() - started > GIVE_UP_MS
        ) {
          setFollowing(false);
        }
      } catch (error) {
        setProblem((error as Error).message);
        setFollowing(false);
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [following, api, entityRef, deployment.application, onProgress]);

  const start = async () => {
    setProblem(undefined);
    try {
      onProgress(await api.sync(entityRef, deployment.application));
      setFollowing(true);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <>
      <Button
        size="small"
        variant="outlined"
        disabled={following}
        onClick={start}
        aria-label={`Sync ${deployment.environment}`}
      >
        {following ? 'Syncing…' : 'Sync'}
      </Button>
      {problem && (
        <Typography
          variant="caption"
          color="error"
          display="block"
          role="alert"
        >
          {problem}
        </Typography>
      )}
    </>
  );
}
