import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { useTechDocsReaderPage } from '@backstage/plugin-techdocs-react';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';

export interface DocsBuild {
  status: 'built' | 'failed' | 'unpublished' | 'pending';
  error?: string;
  lastSuccessAt?: string;
}

const when = (iso?: string) => (iso ? new Date(iso).toLocaleString() : 'never');

/**
 * Above a service's docs: when its last docs build failed (or none has been published), the error and
 * when the docs being shown were built. Nothing when the docs are current.
 */
export function DocsBuildStatus() {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const {
    entityRef: { namespace, kind, name },
  } = useTechDocsReaderPage();
  const { value: build } = useAsync(async (): Promise<DocsBuild> => {
    const base = await discoveryApi.getBaseUrl('techdocs');
    const res = await fetchApi.fetch(
      `${base}/build-status/${[namespace, kind, name]
        .map(encodeURIComponent)
        .join('/')}`,
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }, [namespace, kind, name]);
  if (!build || build.status === 'built') return null;
  if (build.status === 'failed') {
    return (
      <Alert severity="warning" role="status">
        The last docs build failed: {build.error}. Shown: the docs built{' '}
        {when(build.lastSuccessAt)}.
      </Alert>
    );
  }
  return (
    <Alert severity="info" role="status">
      {build.error}
    </Alert>
  );
}
