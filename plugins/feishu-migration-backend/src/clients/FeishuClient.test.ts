import {
  RunningSandbox,
  SANDBOX_CREDENTIALS,
  startSandbox,
  UPSTREAMS,
} from '@internal/sandbox';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { FeishuClient } from './FeishuClient';

const FREE_PORTS = Object.fromEntries(UPSTREAMS.map(u => [u, 0]));

describe('FeishuClient against the sandbox tenant', () => {
  let sandbox: RunningSandbox;
  let client: FeishuClient;

  beforeAll(async () => {
    // A tight rate limit, so that walking the tenant has to back off and retry.
    sandbox = await startSandbox({
      ports: FREE_PORTS,
      feishuRequestsPerSecond: 25,
    });
    client = new FeishuClient({
      baseUrl: sandbox.urls.feishu,
      appId: SANDBOX_CREDENTIALS.feishuAppId,
      appSecret: SANDBOX_CREDENTIALS.feishuAppSecret,
    });
  });
  afterAll(() => sandbox.stop());

  it('walks every space, node and document despite 429s, honouring the reset header', async () => {
    const spaces = await client.listSpaces();
    expect(spaces.length).toBe(6);
    const trees = await Promise.all(
      spaces.map(space => client.listNodeTree(space.space_id)),
    );
    const nodes = trees.flat();
    expect(nodes.length).toBeGreaterThanOrEqual(30);
    // Parents come before their children.
    const seen = new Set<string>();
    for (const node of nodes) {
      expect(
        node.parent_node_token === '' || seen.has(node.parent_node_token),
      ).toBe(true);
      seen.add(node.node_token);
    }
    const blockLists = await Promise.all(
      nodes.map(node => client.listDocumentBlocks(node.obj_token)),
    );
    expect(
      blockLists.every(
        blocks => blocks.length > 0 && blocks.some(b => b.block_type === 1),
      ),
    ).toBe(true);
    expect(sandbox.stats.feishuRateLimited).toBeGreaterThan(0);
  }, 60_000);

  it('reads comments, permission members, media and user names', async () => {
    const [space] = await client.listSpaces();
    const [node] = await client.listNodes(space.space_id);
    const comments = await client.listComments(node.obj_token);
    expect(comments[0]).toMatchObject({
      commentId: expect.any(String),
      blockId: expect.stringMatching(/^doxcn/),
      content: expect.any(String),
    });
    expect(
      (await client.listPermissionMembers(node.obj_token)).map(m => m.perm),
    ).toContain('edit');
    expect(await client.userName(comments[0].author)).toEqual(
      expect.any(String),
    );

    const invoiceRunbook = (
      await Promise.all(
        (await client.listSpaces()).map(s => client.listNodeTree(s.space_id)),
      )
    )
      .flat()
      .find(n => n.title.startsWith('invoice-service'))!;
    const image = (
      await client.listDocumentBlocks(invoiceRunbook.obj_token)
    ).find(b => b.block_type === 27)!;
    const png = await client.downloadMedia(image.image!.token);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);

  it('walks drive folders: the shared folder, its sub-folder and the docx files in both', async () => {
    const root = await client.listFolder('');
    expect(root).toEqual([
      expect.objectContaining({
        name: '工程共享 Engineering shared',
        type: 'folder',
      }),
    ]);
    const tree = await client.listFolderTree(root[0].token);
    const incidents = tree.find(f => f.name === '事故复盘 Incidents')!;
    expect(incidents.type).toBe('folder');
    // Folders come before what they hold.
    const inIncidents = tree.filter(f => f.parent_token === incidents.token);
    expect(inIncidents.map(f => f.name)).toEqual(
      expect.arrayContaining(['2026-10 发票延迟 Invoice delays']),
    );
    expect(tree.indexOf(incidents)).toBeLessThan(tree.indexOf(inIncidents[0]));
    const docs = tree.filter(f => f.type === 'docx');
    expect(docs.length).toBe(8);
    // A drive file's token is its document id: its blocks convert like a wiki page's.
    expect(
      (await client.listDocumentBlocks(docs[0].token)).length,
    ).toBeGreaterThan(1);
    await expect(client.listFolder('fldcnNoSuchFolder')).rejects.toThrow(
      NotFoundError,
    );
  });

  it("reports an unknown thing as NotFoundError and a failing app as ServiceUnavailableError, with Feishu's code", async () => {
    const missing = client.listDocumentBlocks('doxcnDoesNotExist');
    await expect(missing).rejects.toThrow(NotFoundError);
    await expect(
      client.listDocumentBlocks('doxcnDoesNotExist'),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        "Document doxcnDoesNotExist does not exist in Feishu, or the portal's Feishu app may not read it",
      ),
      cause: expect.objectContaining({
        name: 'FeishuApiError',
        message: expect.stringMatching(/HTTP 404.*1770002 not found/),
      }),
    });
    // The SDK caches tenant tokens per app id, so an unknown app (not a wrong secret for a known one) fails here.
    const unknownApp = new FeishuClient({
      baseUrl: sandbox.urls.feishu,
      appId: 'cli_unknown',
      appSecret: 'wrong',
    });
    await expect(unknownApp.listSpaces()).rejects.toThrow(
      ServiceUnavailableError,
    );
  });
});

/** A Feishu that misbehaves as told: hangs, answers 502 or 429, or drops the connection on the first tries. */
async function startFaultyFeishu(
  fault: 'hang' | 'bad-gateway' | 'reset' | 'rate-limited',
  failures: number,
) {
  const calls = { spaces: 0 };
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/open-apis/auth/v3/tenant_access_token')) {
      res.end(
        JSON.stringify({ code: 0, tenant_access_token: 't-1', expire: 7200 }),
      );
      return;
    }
    calls.spaces += 1;
    if (calls.spaces <= failures) {
      if (fault === 'hang') return;
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault === 'rate-limited') {
        res.statusCode = 429;
        res.setHeader('x-ogw-ratelimit-reset', '0');
        res.end(
          JSON.stringify({
            code: 99991400,
            msg: 'request trigger frequency limit',
          }),
        );
        return;
      }
      res.statusCode = 502;
      res.end(JSON.stringify({ code: 502, msg: 'bad gateway' }));
      return;
    }
    res.end(
      JSON.stringify({
        code: 0,
        data: { items: [{ space_id: 's1', name: 'One' }], has_more: false },
      }),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (maxAttempts: number) =>
    new FeishuClient({
      baseUrl: url,
      appId: `cli_${fault}_${failures}_${maxAttempts}`,
      appSecret: 'secret',
      maxAttempts,
      requestTimeoutMs: 200,
    });
  return {
    url,
    calls,
    client,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('FeishuClient against a faulty Feishu', () => {
  it('waits its turn under a sustained rate limit longer than it retries failures', async () => {
    const feishu = await startFaultyFeishu('rate-limited', 10);
    try {
      expect(await feishu.client(4).listSpaces()).toEqual([
        { space_id: 's1', name: 'One' },
      ]);
      expect(feishu.calls.spaces).toBe(11);
    } finally {
      await feishu.stop();
    }
  }, 30_000);

  it('stops waiting its turn after its patience, as a 503', async () => {
    const feishu = await startFaultyFeishu('rate-limited', 1000);
    try {
      const impatient = new FeishuClient({
        baseUrl: feishu.url,
        appId: 'cli_impatient',
        appSecret: 'secret',
        rateLimitPatienceMs: 1500,
      });
      await expect(impatient.listSpaces()).rejects.toThrow(
        ServiceUnavailableError,
      );
      expect(feishu.calls.spaces).toBeGreaterThan(1);
      expect(feishu.calls.spaces).toBeLessThan(40);
    } finally {
      await feishu.stop();
    }
  });

  it('gives up on a 502 after its attempts', async () => {
    const feishu = await startFaultyFeishu('bad-gateway', 10);
    try {
      await expect(feishu.client(4).listSpaces()).rejects.toThrow(
        ServiceUnavailableError,
      );
      expect(feishu.calls.spaces).toBe(4);
    } finally {
      await feishu.stop();
    }
  });

  it('gives up on a request that hangs after its timeout, as a 503', async () => {
    const feishu = await startFaultyFeishu('hang', 100);
    try {
      await expect(feishu.client(2).listSpaces()).rejects.toThrow(
        ServiceUnavailableError,
      );
      expect(feishu.calls.spaces).toBe(2);
    } finally {
      await feishu.stop();
    }
  });

  it.each(['hang', 'bad-gateway', 'reset'] as const)(
    'retries after %s and then succeeds',
    async fault => {
      const feishu = await startFaultyFeishu(fault, 2);
      try {
        expect(await feishu.client(4).listSpaces()).toEqual([
          { space_id: 's1', name: 'One' },
        ]);
        expect(feishu.calls.spaces).toBe(3);
      } finally {
        await feishu.stop();
      }
    },
  );
});
