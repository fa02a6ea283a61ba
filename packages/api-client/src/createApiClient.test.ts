import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ResponseError } from '@backstage/errors';
import { createApiClient, responseData } from './createApiClient';

interface paths {
  '/things/{id}': {
    get: {
      parameters: { path: { id: string } };
      responses: {
        200: { content: { 'application/json': { id: string; n: number } } };
      };
    };
  };
}

describe('createApiClient', () => {
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/x/things/one') {
        res.end(JSON.stringify({ id: 'one', n: 1 }));
        return;
      }
      res.statusCode = 404;
      res.end(
        JSON.stringify({
          error: { name: 'NotFoundError', message: `no ${req.url}` },
          response: { statusCode: 404 },
        }),
      );
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/x`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  it('returns the typed body of a successful call', async () => {
    const client = createApiClient<paths>(baseUrl, (url, init) =>
      fetch(url, init),
    );
    const thing = await responseData(
      client.GET('/things/{id}', { params: { path: { id: 'one' } } }),
    );
    expect(thing).toEqual({ id: 'one', n: 1 });
  });

  it("rejects a failed call with Backstage's ResponseError and the server's message", async () => {
    const client = createApiClient<paths>(baseUrl, (url, init) =>
      fetch(url, init),
    );
    const call = client.GET('/things/{id}', {
      params: { path: { id: 'two' } },
    });
    await expect(call).rejects.toBeInstanceOf(ResponseError);
    await expect(
      client.GET('/things/{id}', { params: { path: { id: 'two' } } }),
    ).rejects.toMatchObject({
      statusCode: 404,
      body: {
        error: { name: 'NotFoundError', message: 'no /api/x/things/two' },
      },
    });
  });
});
