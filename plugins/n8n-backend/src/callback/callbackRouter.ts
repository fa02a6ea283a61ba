import express from 'express';
import Router from 'express-promise-router';
import { AuthenticationError, InputError } from '@backstage/errors';
import { RunCallback } from '@internal/plugin-n8n-common';
import { RunStore } from '../database/RunStore';
import { checkCallbackSignature } from './signature';
import { createInputValidator } from '../service/readN8nConfig';

const CALLBACK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['runId', 'status'],
  properties: {
    runId: { type: 'string', format: 'uuid' },
    executionId: { type: 'string', maxLength: 100 },
    status: { enum: ['success', 'failed'] },
    result: { type: 'object' },
    error: { type: 'string', maxLength: 4000 },
    grant: {
      type: 'object',
      additionalProperties: false,
      required: ['hours'],
      properties: {
        hours: { type: 'number', exclusiveMinimum: 0, maximum: 8760 },
      },
    },
  },
};

export interface CallbackRouterOptions {
  secret: string;
  toleranceSeconds: number;
  store: RunStore;
  report(callback: RunCallback): Promise<{ runId: string; status: string }>;
}

/**
 * POST /callback, for n8n: no Backstage token, the body signed with the shared secret instead. Checked on
 * the raw bytes before anything is parsed; a bad or replayed signature is a 401 that records nothing.
 */
export function createCallbackRouter(options: CallbackRouterOptions) {
  const router = Router();
  const validate = createInputValidator().compile(CALLBACK_SCHEMA);
  router.post(
    '/callback',
    express.raw({ type: () => true, limit: '64kb' }),
    async (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = checkCallbackSignature(
        {
          signature: req.header('x-portal-signature'),
          timestamp: req.header('x-portal-timestamp'),
          rawBody,
        },
        {
          secret: options.secret,
          nowMs: Date.now(),
          toleranceMs: options.toleranceSeconds * 1000,
        },
      );
      if (!check.valid) {
        throw new AuthenticationError(`Callback refused: ${check.reason}`);
      }
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new InputError('The callback body is not JSON');
      }
      if (!validate(body)) {
        throw new InputError(
          `The callback body is not a run result: ${validate.errors
            ?.map(e => `${e.instancePath || '/'} ${e.message}`)
            .join('; ')}`,
        );
      }
      const callback = body as RunCallback;
      // Twice the tolerance: a signature is forgotten only once its timestamp could no longer pass.
      const first = await options.store.acceptSignatureOnce(
        check.signature,
        callback.runId,
        options.toleranceSeconds * 2000,
      );
      if (!first) {
        throw new AuthenticationError(
          'Callback refused: this signature was already used (a replay)',
        );
      }
      try {
        res.json(await options.report(callback));
      } catch (error) {
        // Nothing was recorded for this signature's callback: let a retry through.
        await options.store.forgetSignature(check.signature);
        throw error;
      }
    },
  );
  return router;
}
