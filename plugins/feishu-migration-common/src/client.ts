import {
  ApiClient,
  createApiClient,
  FetchFunction,
} from '@internal/api-client';
import type { paths } from './schema/openapi.generated';

/** The Feishu migration backend's API, typed from its openapi.yaml. */
export type FeishuMigrationApiClient = ApiClient<paths>;

export function createFeishuMigrationApiClient(
  baseUrl: string,
  fetchFn: FetchFunction,
): FeishuMigrationApiClient {
  return createApiClient<paths>(baseUrl, fetchFn);
}
