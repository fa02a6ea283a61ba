import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SecurityAccessService } from '@internal/plugin-security-node';
import {
  RunningSandbox,
  SANDBOX_CREDENTIALS,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
import { demoEntities } from '@internal/test-utils';
import { FeishuClient } from '../clients/FeishuClient';
import { FeishuReadAccess } from './FeishuReadAccess';

const ENGINEER = 'user:default/erik-larsen';

/**
 * The sandbox's Feishu behind a proxy that answers for chosen documents' permission members: 503 (Feishu
 * failing), Feishu's "no such document", or another refusal (the app may not see them).
 */
async function feishuFailingFor(
  sandbox: RunningSandbox,
  failing: Map<string, 'unavailable' | 'not-found' | 'refused'>,
) {
  const upstream = new URL(sandbox.urls.feishu);
  const server = http.createServer((req, res) => {
    const document =
      /^\/open-apis\/drive\/v1\/permissions\/([^/]+)\/members/.exec(
        req.url ?? '',
      )?.[1];
    const fault = document && failing.get(document);
    if (fault) {
      res.setHeader('content-type', 'application/json');
      const answers = {
        unavailable: [503, { code: 503, msg: 'service unavailable' }],
        'not-found': [400, { code: 1063002, msg: 'document not found' }],
        refused: [403, { code: 1063005, msg: 'forbidden' }],
      } as const;
      const [status, body] = answers[fault];
      res.statusCode = status;
      res.end(JSON.stringify(body));
      return;
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('FeishuReadAccess', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: Object.fromEntries(UPSTREAMS.map(u => [u, 0])),
    });
  });
  afterAll(() => sandbox.stop());

  it('tells "Feishu did not answer" (503, try again) from a refusal (403), and lets nothing through on either', async () => {
    const direct = new FeishuClient({
      baseUrl: sandbox.urls.feishu,
      appId: SANDBOX_CREDENTIALS.feishuAppId,
      appSecret: SANDBOX_CREDENTIALS.feishuAppSecret,
    });
    const handbook = (await direct.listSpaces()).find(space =>
      space.name.includes('Handbook'),
    )!;
    const [first, second, third, fourth] = (
      await direct.listNodeTree(handbook.space_id)
    ).map(node => ({ documentId: node.obj_token, title: node.title }));
    const proxy = await feishuFailingFor(
      sandbox,
      new Map([
        [second.documentId, 'unavailable'],
        [third.documentId, 'not-found'],
        [fourth.documentId, 'refused'],
      ]),
    );
    try {
      const access = new FeishuReadAccess(
        new FeishuClient({
          baseUrl: proxy.url,
          appId: SANDBOX_CREDENTIALS.feishuAppId,
          appSecret: SANDBOX_CREDENTIALS.feishuAppSecret,
          maxAttempts: 2,
        }),
        catalogServiceMock({ entities: demoEntities() }),
        mockServices.auth(),
        {
          subjectOf: async () => ({ role: 'developer' }),
        } as unknown as SecurityAccessService,
      );
      // The engineering department reads the handbook.
      await expect(
        access.requireReadable(ENGINEER, [first]),
      ).resolves.toBeUndefined();
      const unavailable = access.requireReadable(ENGINEER, [first, second]);
      await expect(unavailable).rejects.toThrow(ServiceUnavailableError);
      await expect(unavailable).rejects.toThrow(
        `Feishu did not answer when the portal checked who may read "${second.title}"; try again in a minute`,
      );
      const unseen = access.requireReadable(ENGINEER, [first, third, fourth]);
      await expect(unseen).rejects.toThrow(NotAllowedError);
      await expect(unseen).rejects.toThrow(
        `Feishu does not let you read 2 of the selected documents (${third.title}, ${fourth.title})`,
      );
    } finally {
      await proxy.stop();
    }
  });
});
