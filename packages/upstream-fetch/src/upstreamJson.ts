import { backOff } from 'exponential-backoff';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

export interface UpstreamRequest {
  /** The upstream, as a person names it in an error message: "Argo CD", "Sentry". */
  upstream: string;
  url: string;
  init?: RequestInit;
  /** How long one attempt may take; default 10 s. */
  timeoutMs?: number;
  /** Attempts on 429, 5xx and broken connections; default 3. */
  attempts?: number;
}

class RetryableError extends Error {
  constructor(message: string, readonly waitMs: number) {
    super(message);
  }
}

/** Seconds of Retry-After or X-RateLimit-Reset (GitHub), capped, as milliseconds. */
function retryAfterMs(response: Response): number {
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) {
    return Math.min(retryAfter, 30) * 1000;
  }
  const reset = Number(response.headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) {
    return Math.min(Math.max(reset * 1000 - Date.now(), 0), 30_000);
  }
  return 1000;
}

/**
 * One JSON request to an upstream: a timeout per attempt, retries on 429 (honouring Retry-After and
 * GitHub's rate-limit reset), 5xx and broken connections, and failures as the errors the portal reports:
 * 404 → NotFoundError, 400/422 → InputError, anything else (401/403 of the portal's own credentials,
 * outages, timeouts, garbage) → ServiceUnavailableError.
 */
export async function upstreamJson<T>(request: UpstreamRequest): Promise<T> {
  const { upstream, url } = request;
  const response = await backOff(
    async () => {
      let res: Response;
      try {
        res = await fetch(url, {
          ...request.init,
          signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new RetryableError(
          `${upstream} did not answer: ${(error as Error).message}`,
          0,
        );
      }
      if (res.status === 429) {
        throw new RetryableError(
          `${upstream} is rate limiting the portal`,
          retryAfterMs(res),
        );
      }
      if (
        res.status === 403 &&
        res.headers.get('x-ratelimit-remaining') === '0'
      ) {
        throw new RetryableError(
          `${upstream} rate limit exhausted`,
          retryAfterMs(res),
        );
      }
      if (res.status >= 500) {
        throw new RetryableError(`${upstream} answered HTTP ${res.status}`, 0);
      }
      return res;
    },
    {
      numOfAttempts: request.attempts ?? 3,
      startingDelay: 100,
      jitter: 'full',
      retry: async error => {
        if (!(error instanceof RetryableError)) return false;
        if (error.waitMs > 0) {
          await new Promise(resolve => setTimeout(resolve, error.waitMs));
        }
        return true;
      },
    },
  ).catch(error => {
    throw new ServiceUnavailableError(
      error instanceof RetryableError
        ? `${error.message}; try again shortly`
        : `${upstream} could not be read: ${String(error)}`,
    );
  });
  const text = await response.text();
  if (response.status === 404) {
    throw new NotFoundError(`${upstream} has no ${new URL(url).pathname}`);
  }
  if (response.status === 400 || response.status === 422) {
    throw new InputError(
      `${upstream} refused the request: ${text.slice(0, 300)}`,
    );
  }
  if (!response.ok) {
    throw new ServiceUnavailableError(
      `${upstream} refused the portal's credentials (HTTP ${response.status}); an admin must check its configuration`,
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ServiceUnavailableError(
      `${upstream} answered with something that is not JSON`,
    );
  }
}
