import express from 'express';
import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { formatChatEvent } from '@internal/plugin-ai-assistant-common';
import { createOpenApiRouter } from '../schema/openapi';
import {
  AssistantService,
  Caller,
  TooManyRequestsError,
} from './AssistantService';
import { structuredCapabilities } from './capabilities';

const httpAuthIsUser = (
  credentials: BackstageCredentials<
    BackstageUserPrincipal | BackstageServicePrincipal
  >,
): credentials is BackstageCredentials<BackstageUserPrincipal> =>
  credentials.principal.type === 'user';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  assistant: AssistantService;
}

/** HTTP only: the contract (src/schema/openapi.yaml) validates the shape, AssistantService decides. */
export async function createRouter({
  httpAuth,
  assistant,
}: RouterOptions): Promise<express.Router> {
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '512kb' })],
  });
  const userOf = async (
    req: express.Request<any, any, any, any>,
  ): Promise<Caller> => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { credentials, userRef: credentials.principal.userEntityRef };
  };
  const capabilities = structuredCapabilities(assistant);

  router.post('/chat', async (req, res) => {
    const caller = await userOf(req);
    // Refusals (403, 404, 429, 400) are answered as JSON before the stream starts.
    const stream = await assistant.startChat(caller, req.body);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform keeps compression from buffering the stream.
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-ai-generated': 'true',
    });
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    await stream(event => {
      if (!res.writableEnded) res.write(formatChatEvent(event));
    }, controller.signal);
    res.end();
  });

  router.post('/generate/code', async (req, res) => {
    res.set('x-ai-generated', 'true');
    res.json(await capabilities.generateCode(await userOf(req), req.body));
  });

  router.post('/generate/documentation', async (req, res) => {
    res.set('x-ai-generated', 'true');
    res.json(
      await capabilities.generateDocumentation(await userOf(req), req.body),
    );
  });

  router.post('/analyze-error', async (req, res) => {
    res.set('x-ai-generated', 'true');
    res.json(
      await capabilities.analyzeError(await userOf(req), req.body.error),
    );
  });

  router.post('/review-code', async (req, res) => {
    // The golden paths' CI reviews pull requests with an external access token (a service).
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const caller: Caller = httpAuthIsUser(credentials)
      ? { credentials, userRef: credentials.principal.userEntityRef }
      : {
          credentials,
          userRef: `service:${
            (credentials.principal as BackstageServicePrincipal).subject
          }`,
          service: true,
        };
    res.set('x-ai-generated', 'true');
    res.json(await capabilities.reviewCode(caller, req.body.pullRequest));
  });

  router.get('/answers/:answerId', async (req, res) => {
    res.set('x-ai-generated', 'true');
    res.json(await assistant.answerFor(await userOf(req), req.params.answerId));
  });

  router.post('/answers/:answerId/feedback', async (req, res) => {
    res.json(
      await assistant.feedback(
        await userOf(req),
        req.params.answerId,
        req.body.rating,
        req.body.note,
      ),
    );
  });

  router.post('/proposals/:proposalId/confirm', async (req, res) => {
    res.json(
      (await assistant.confirmProposal(
        await userOf(req),
        req.params.proposalId,
      )) as any,
    );
  });

  router.get('/status', async (req, res) => {
    const providers = await assistant.status(await userOf(req));
    res.json({
      providers: providers.map(p => ({
        id: p.id,
        model: p.model,
        position: p.position,
        failures: p.failures,
        ...(p.openUntil ? { openUntil: p.openUntil.toISOString() } : {}),
      })),
    });
  });

  router.use(
    (
      error: Error,
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (error instanceof TooManyRequestsError) {
        res.set('retry-after', String(error.retryAfterSeconds));
        res
          .status(429)
          .json({ error: { name: error.name, message: error.message } });
        return;
      }
      next(error);
    },
  );
  return router;
}
