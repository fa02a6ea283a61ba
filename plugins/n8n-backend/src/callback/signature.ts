import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  /** X-Portal-Signature: `sha256=<hex>`. */
  signature: string | undefined;
  /** X-Portal-Timestamp: Unix seconds. */
  timestamp: string | undefined;
  /** The body exactly as received. */
  rawBody: Buffer;
}

export type SignatureCheck =
  | { valid: true; signature: string }
  | { valid: false; reason: string };

/** What a workflow sends: the HMAC-SHA256 of `<timestamp>.<body>` with the shared secret. */
export function signCallback(
  secret: string,
  timestamp: string,
  rawBody: Buffer | string,
): string {
  return `sha256=${createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(rawBody)
    .digest('hex')}`;
}

/**
 * Whether a callback was signed with the secret within the tolerance. The timestamp is inside the signed
 * text, so an old signature cannot be given a new time; a signature is then accepted once (the store).
 */
export function checkCallbackSignature(
  request: SignedRequest,
  options: { secret: string; nowMs: number; toleranceMs: number },
): SignatureCheck {
  const { signature, timestamp, rawBody } = request;
  if (!signature || !timestamp) {
    return {
      valid: false,
      reason: 'X-Portal-Signature and X-Portal-Timestamp are required',
    };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { valid: false, reason: 'X-Portal-Timestamp must be Unix seconds' };
  }
  if (
    Math.abs(options.nowMs - Number(timestamp) * 1000) > options.toleranceMs
  ) {
    return {
      valid: false,
      reason: `the timestamp is more than ${
        options.toleranceMs / 1000
      } seconds from now`,
    };
  }
  const expected = Buffer.from(
    signCallback(options.secret, timestamp, rawBody),
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, reason: 'the signature does not match the body' };
  }
  return { valid: true, signature };
}
