import createClient, { Client } from 'openapi-fetch';
import { ResponseError } from '@backstage/errors';

export type FetchFunction = (request: Request) => Promise<Response>;

export type ApiClient<Paths extends {}> = Client<Paths>;

/**
 * An openapi-fetch client of one plugin's API. A response that is not OK rejects with Backstage's
 * ResponseError (status, the server's error name and message), as the hand-written clients did.
 */
export function createApiClient<Paths extends {}>(
  baseUrl: string,
  fetchFn: FetchFunction,
): ApiClient<Paths> {
  return createClient<Paths>({
    baseUrl,
    fetch: async request => {
      const response = await fetchFn(request);
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      return response;
    },
  });
}

/** The typed body of a successful call; failures have already thrown. */
export async function responseData<T>(
  call: Promise<{ data?: T; response: Response }>,
): Promise<T> {
  const { data, response } = await call;
  if (data === undefined) {
    throw new Error(
      `${response.url} answered ${response.status} without the body its API promises`,
    );
  }
  return data;
}
