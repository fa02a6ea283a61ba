import { ResponseError } from '@backstage/errors';

export function isForbidden(error: unknown) {
  return (error as { statusCode?: number } | undefined)?.statusCode === 403;
}

/** What the server said went wrong (a ResponseError's own message is only its status). */
export function reasonOf(error: Error): string {
  return error instanceof ResponseError
    ? error.body.error.message || error.message
    : error.message;
}
