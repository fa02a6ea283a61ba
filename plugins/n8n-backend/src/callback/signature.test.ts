import fc from 'fast-check';
import { checkCallbackSignature, signCallback } from './signature';

const SECRET = 'sandbox-n8n-callback-secret';
const NOW = Date.parse('2026-12-04T12:00:00Z');
const options = { secret: SECRET, nowMs: NOW, toleranceMs: 300_000 };

describe('callback signatures', () => {
  it('accepts exactly the signed body at a time within the tolerance', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 200 }),
        fc.integer({ min: -600, max: 600 }),
        (body, other, skewSeconds) => {
          const timestamp = String(NOW / 1000 + skewSeconds);
          const signature = signCallback(SECRET, timestamp, body);
          const check = (rawBody: string) =>
            checkCallbackSignature(
              { signature, timestamp, rawBody: Buffer.from(rawBody) },
              options,
            ).valid;
          expect(check(body)).toBe(Math.abs(skewSeconds) <= 300);
          expect(check(other)).toBe(
            other === body && Math.abs(skewSeconds) <= 300,
          );
        },
      ),
    );
  });

  it('refuses a missing header, a malformed time, another secret and a moved timestamp', () => {
    const body = Buffer.from('{"runId":"r","status":"success"}');
    const timestamp = String(NOW / 1000);
    const signature = signCallback(SECRET, timestamp, body);
    const reasonOf = (
      request: Parameters<typeof checkCallbackSignature>[0],
    ) => {
      const check = checkCallbackSignature(request, options);
      return check.valid ? 'valid' : check.reason;
    };
    expect(
      reasonOf({ signature: undefined, timestamp, rawBody: body }),
    ).toMatch(/required/);
    expect(
      reasonOf({ signature, timestamp: 'yesterday', rawBody: body }),
    ).toMatch(/Unix seconds/);
    expect(
      reasonOf({
        signature: signCallback('guess', timestamp, body),
        timestamp,
        rawBody: body,
      }),
    ).toMatch(/does not match/);
    expect(
      reasonOf({ signature, timestamp: String(NOW / 1000 + 1), rawBody: body }),
    ).toMatch(/does not match/);
    expect(reasonOf({ signature, timestamp, rawBody: body })).toBe('valid');
  });
});
