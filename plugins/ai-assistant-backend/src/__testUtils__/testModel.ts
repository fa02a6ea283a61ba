import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { llmEmulator } from '@internal/sandbox';

/** The sandbox model on a free port, with its control and request log. */
export async function startTestModel() {
  const server: Server = await new Promise(resolve => {
    const s = llmEmulator().listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const control = async (body: object) => {
    await fetch(`${url}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tokenDelayMs: 0, ...body }),
    });
  };
  await control({});
  return {
    url,
    control,
    /** Everything the model was sent, as one JSON text. */
    requestLog: async () =>
      JSON.stringify((await (await fetch(`${url}/__requests`)).json()).items),
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
