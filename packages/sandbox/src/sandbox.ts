import express from 'express';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import {
  DEFAULT_CATALOG_DIR,
  DemoCatalog,
  loadDemoCatalog,
} from './demoCatalog';
import { argocdEmulator } from './emulators/argocd';
import { awsCostExplorerEmulator } from './emulators/awsCostExplorer';
import { datadogEmulator } from './emulators/datadog';
import { feishuEmulator } from './emulators/feishu';
import { githubEmulator } from './emulators/github';
import { SandboxEvents } from './emulators/githubPublished';
import { kubernetesEmulator } from './emulators/kubernetes';
import { llmEmulator } from './emulators/llm';
import { n8nEmulator } from './emulators/n8n';
import { opencostEmulator } from './emulators/opencost';
import { sentryEmulator } from './emulators/sentry';

const EMULATORS = {
  github: githubEmulator,
  argocd: argocdEmulator,
  opencost: opencostEmulator,
  n8n: n8nEmulator,
  feishu: feishuEmulator,
  llm: llmEmulator,
  // A second model endpoint, so the assistant's failover can be seen (and tried) in development.
  llmBackup: llmEmulator,
  datadog: datadogEmulator,
  kubernetes: kubernetesEmulator,
  sentry: sentryEmulator,
  awsCostExplorer: awsCostExplorerEmulator,
} satisfies Record<
  string,
  (catalog: DemoCatalog, options: EmulatorOptions) => express.Express
>;

/** Knobs for tests: none of them is set by `yarn start`. */
export interface EmulatorOptions {
  /** Feishu answers 429 (with x-ogw-ratelimit-reset) above this many requests per second. */
  feishuRequestsPerSecond?: number;
  /** Extra archived documents in the Feishu tenant (see buildFeishuWorkspace). */
  feishuArchiveDocuments?: number;
  /** How long an n8n workflow run takes, in ms; default 1.5–3.5 s. */
  n8nRunMs?: number;
  /** Counts what the emulators did, for assertions. */
  stats: { feishuRateLimited: number };
  /** How emulators hear of each other's changes (a push to GitHub reaches Argo CD). */
  events: SandboxEvents;
}

export type Upstream = keyof typeof EMULATORS;

export const UPSTREAMS = Object.keys(EMULATORS) as Upstream[];

/** The ports app-config.yaml points at. Tests pass 0 to get free ports. */
export const DEFAULT_SANDBOX_PORTS: Record<Upstream, number> = {
  github: 7101,
  argocd: 7102,
  opencost: 7103,
  n8n: 7104,
  feishu: 7105,
  llm: 7106,
  datadog: 7107,
  kubernetes: 7108,
  sentry: 7109,
  awsCostExplorer: 7110,
  llmBackup: 7111,
};

export interface SandboxOptions {
  /** Port per upstream; 0 picks a free port. Defaults to DEFAULT_SANDBOX_PORTS. */
  ports?: Partial<Record<Upstream, number>>;
  host?: string;
  catalogDir?: string;
  feishuRequestsPerSecond?: number;
  feishuArchiveDocuments?: number;
  n8nRunMs?: number;
}

export interface RunningSandbox {
  urls: Record<Upstream, string>;
  catalog: DemoCatalog;
  stats: EmulatorOptions['stats'];
  events: SandboxEvents;
  stop(): Promise<void>;
}

function listen(app: express.Express, host: string, port: number) {
  return new Promise<Server>((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', error =>
      reject(
        new Error(
          `sandbox could not listen on ${host}:${port}: ${error.message}`,
        ),
      ),
    );
  });
}

function close(server: Server) {
  return new Promise<void>(resolve => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startSandbox(
  options: SandboxOptions = {},
): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const catalog = loadDemoCatalog(options.catalogDir ?? DEFAULT_CATALOG_DIR);
  const servers: Server[] = [];
  const emulatorOptions: EmulatorOptions = {
    feishuRequestsPerSecond: options.feishuRequestsPerSecond,
    feishuArchiveDocuments: options.feishuArchiveDocuments,
    n8nRunMs: options.n8nRunMs,
    stats: { feishuRateLimited: 0 },
    events: new SandboxEvents(),
  };
  const urls = {} as Record<Upstream, string>;
  try {
    for (const upstream of UPSTREAMS) {
      const app = EMULATORS[upstream](catalog, emulatorOptions);
      app.use(
        (
          err: Error & { status?: number },
          _req: express.Request,
          res: express.Response,
          _next: express.NextFunction,
        ) => {
          res.status(err.status ?? 500).json({ message: err.message });
        },
      );
      const port = options.ports?.[upstream] ?? DEFAULT_SANDBOX_PORTS[upstream];
      const server = await listen(app, host, port);
      servers.push(server);
      urls[upstream] = `http://${host}:${
        (server.address() as AddressInfo).port
      }`;
    }
  } catch (error) {
    await Promise.all(servers.map(close));
    throw error;
  }
  return {
    urls,
    catalog,
    stats: emulatorOptions.stats,
    events: emulatorOptions.events,
    stop: async () => {
      await Promise.all(servers.map(close));
    },
  };
}
