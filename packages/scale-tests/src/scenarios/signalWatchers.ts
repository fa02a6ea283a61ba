import { Browser, chromium } from 'playwright-core';
import { ReplicaName } from '../cluster';

export interface ReceivedSignal {
  /** When the page received it (this machine's clock). */
  at: number;
  message: unknown;
}

interface PageState {
  opened: number;
  received: ReceivedSignal[];
}

/**
 * Pages of a headless Chromium that follow one signals channel as the portal's SignalClient does: a
 * WebSocket to /api/signals with the user's token as its protocol, subscribe, reconnect a second after the
 * socket closes or fails to open. Each page is a browser context of its own.
 */
export class SignalWatchers {
  private constructor(
    private readonly browser: Browser,
    private readonly balancerUrl: string,
    private readonly token: string,
  ) {}

  static async launch(balancerUrl: string, token: string) {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    });
    return new SignalWatchers(browser, balancerUrl, token);
  }

  /**
   * A page connected through the balancer; `pinned` asks the balancer for that replica (the harness's
   * `?replica=` rule), to know which one holds the socket. Resolves once the page has subscribed.
   */
  async watch(channel: string, pinned?: ReplicaName) {
    const context = await this.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${this.balancerUrl}/.backstage/health/v1/liveness`);
    const url = new URL('/api/signals', this.balancerUrl);
    url.protocol = 'ws:';
    if (pinned) url.searchParams.set('replica', pinned);
    await page.evaluate(
      ({ socketUrl, token, subscribeTo }) => {
        const state: PageState = { opened: 0, received: [] };
        (window as unknown as { scale: PageState }).scale = state;
        const connect = () => {
          const socket = new WebSocket(socketUrl, token);
          socket.onopen = () => {
            socket.send(
              JSON.stringify({ action: 'subscribe', channel: subscribeTo }),
            );
            state.opened++;
          };
          socket.onmessage = event => {
            const data = JSON.parse(String(event.data));
            if (data.channel === subscribeTo) {
              state.received.push({ at: Date.now(), message: data.message });
            }
          };
          socket.onclose = () => setTimeout(connect, 1000);
          // A replica's first upgrade request only arms its WebSocket handler and is never answered; like
          // SignalClient, give up on a socket not open within a second and try again.
          setTimeout(() => {
            if (socket.readyState === WebSocket.CONNECTING) socket.close();
          }, 1000);
        };
        connect();
      },
      { socketUrl: url.toString(), token: this.token, subscribeTo: channel },
    );
    await page.waitForFunction(
      () => (window as unknown as { scale: PageState }).scale.opened > 0,
      undefined,
      { timeout: 30_000 },
    );
    return {
      received: () =>
        page.evaluate(
          () => (window as unknown as { scale: PageState }).scale.received,
        ),
    };
  }

  close() {
    return this.browser.close();
  }
}
