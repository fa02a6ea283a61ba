import {
  ApiClient,
  createApiClient,
  FetchFunction,
} from '@internal/api-client';
import type { paths } from './schema/openapi.generated';

/** The n8n backend's API, typed from its openapi.yaml. */
export type N8nApiClient = ApiClient<paths>;

export function createN8nApiClient(
  baseUrl: string,
  fetchFn: FetchFunction,
): N8nApiClient {
  return createApiClient<paths>(baseUrl, fetchFn);
}
