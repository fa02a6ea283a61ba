import {
  ApiClient,
  createApiClient,
  FetchFunction,
} from '@internal/api-client';
import type { paths } from './schema/openapi.generated';

/** The service-health backend's API, typed from its openapi.yaml. */
export type ServiceHealthApiClient = ApiClient<paths>;

export function createServiceHealthApiClient(
  baseUrl: string,
  fetchFn: FetchFunction,
): ServiceHealthApiClient {
  return createApiClient<paths>(baseUrl, fetchFn);
}
