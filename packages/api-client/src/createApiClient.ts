import createClient, { Client } from 'openapi-fetch';
import { ResponseError } from '@backstage/errors';

/**
 * How the client sends a request: Backstage's FetchApi in the browser (it adds the user's token), fetch
 * with a service token in a backend. It gets a URL and init rather than a Request, because FetchApi's
 * middleware rebuilds the request and a Request's body can be read only once.
 */
export type FetchFunction = (
  url: string,
  init: RequestInit,
) => Promise<Response>;

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
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      const response = await fetchFn(request.url, {
        method: request.method,
        headers: request.headers,
        body: hasBody ? await request.text() : undefined,
        signal: request.signal,
      });
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
