import {
  ApiClient,
  createApiClient,
  FetchFunction,
} from '@internal/api-client';
import type { paths } from './schema/openapi.generated';

/** The security backend's API, typed from its openapi.yaml; used by the frontend and by security-node. */
export type SecurityApiClient = ApiClient<paths>;

export function createSecurityApiClient(
  baseUrl: string,
  fetchFn: FetchFunction,
): SecurityApiClient {
  return createApiClient<paths>(baseUrl, fetchFn);
}
