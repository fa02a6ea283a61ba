import {
  ApiClient,
  createApiClient,
  FetchFunction,
} from '@internal/api-client';
import type { paths } from './schema/openapi.generated';

/** The AI assistant backend's API, typed from its openapi.yaml (the chat stream aside). */
export type AiAssistantApiClient = ApiClient<paths>;

export function createAiAssistantApiClient(
  baseUrl: string,
  fetchFn: FetchFunction,
): AiAssistantApiClient {
  return createApiClient<paths>(baseUrl, fetchFn);
}
