import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { EmbeddingsClient } from './EmbeddingsClient';

/** An embeddings endpoint that answers each request with the next of `answers` (as vectors per input). */
async function endpoint(vectorOf: (input: string) => unknown) {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      const { input } = JSON.parse(body) as { input: string[] };
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          object: 'list',
          model: 'm',
          data: input.map((text, index) => ({
            object: 'embedding',
            index,
            embedding: vectorOf(text),
          })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    client: (dimensions?: number) =>
      new EmbeddingsClient({
        baseUrl: `http://127.0.0.1:${port}/v1`,
        apiKey: 'k',
        model: 'm',
        ...(dimensions ? { dimensions } : {}),
        timeoutMs: 5000,
        headers: {},
      }),
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

describe('EmbeddingsClient', () => {
  it('gives one vector per text, in order, across batches', async () => {
    const server = await endpoint(text => [text.length, 1]);
    try {
      const texts = Array.from({ length: 70 }, (_, i) => 'x'.repeat(i + 1));
      const vectors = await server.client().embed(texts);
      expect(vectors.map(v => v[0])).toEqual(texts.map(t => t.length));
      expect(server.client(2).model).toBe('m@2');
      expect(server.client().model).toBe('m');
    } finally {
      await server.close();
    }
  });

  it.each([
    ['a string', () => 'not a vector'],
    ['an empty vector', () => []],
    ['a number out of float4 range', () => [1, 1e39]],
    ['a vector longer than any model gives', () => new Array(16_001).fill(0)],
    [
      'vectors of different lengths',
      (text: string) => (text === 'a' ? [1] : [1, 2]),
    ],
  ])(
    'refuses %s, so retrieval falls back to full text',
    async (_what, answer) => {
      const server = await endpoint(answer);
      try {
        await expect(server.client().embed(['a', 'b'])).rejects.toThrow(
          /not a vector of numbers/,
        );
      } finally {
        await server.close();
      }
    },
  );

  it('refuses a vector of another length than the configured one', async () => {
    const server = await endpoint(() => [1, 2, 3]);
    try {
      await expect(server.client(2).embed(['a'])).rejects.toThrow(
        /of length 2/,
      );
    } finally {
      await server.close();
    }
  });
});
