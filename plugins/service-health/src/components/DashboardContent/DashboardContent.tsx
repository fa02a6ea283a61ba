import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { Link } from '@backstage/core-components';
import { signalAnnotation } from '@internal/plugin-service-health-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** Only Datadog's own hosts are embedded: an annotation must not frame an arbitrary page in the portal. */
export function isDatadogUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' &&
      /(^|\.)(datadoghq\.(com|eu)|ddog-gov\.com|datadoghq-browser-agent\.com)$/.test(
        url.hostname,
      )
    );
  } catch {
    return false;
  }
}

/**
 * The service's Datadog dashboard (`datadog/dashboard-url`), embedded. A dashboard shows in a frame when it
 * is shared (a public or invite-only shared link); otherwise Datadog asks the person to sign in, so the
 * link to open it in Datadog is always there.
 */
export function DashboardContent() {
  const { entity } = useEntity();
  const annotation = signalAnnotation(entity.metadata.annotations, 'monitors');
  if (!annotation) {
    return <MissingAnnotationEmptyState annotation="datadog/dashboard-url" />;
  }
  if (!isDatadogUrl(annotation.value)) {
    return (
      <Typography color="error" role="alert">
        datadog/dashboard-url must be an https address on Datadog (datadoghq.com
        or datadoghq.eu), not {annotation.value}
      </Typography>
    );
  }
  return (
    <>
      <Box mb={1}>
        <Link to={annotation.value}>Open the dashboard in Datadog</Link>
      </Box>
      <iframe
        title={`Datadog dashboard of ${entity.metadata.name}`}
        src={annotation.value}
        style={{ width: '100%', height: '75vh', border: 0 }}
        sandbox="allow-scripts allow-same-origin allow-popups"
        referrerPolicy="no-referrer"
      />
    </>
  );
}
