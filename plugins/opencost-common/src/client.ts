import {
  ApiClient,
  createApiClient,
  FetchFunction,
} from '@internal/api-client';
import type { paths } from './schema/openapi.generated';

/** The opencost backend's API, typed from its openapi.yaml. */
export type OpenCostApiClient = ApiClient<paths>;

export function createOpenCostApiClient(
  baseUrl: string,
  fetchFn: FetchFunction,
): OpenCostApiClient {
  return createApiClient<paths>(baseUrl, fetchFn);
}
