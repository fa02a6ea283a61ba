import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { dropDatabasesWithPrefix, TEST_POSTGRES } from '@internal/test-utils';

/** The balancer's port, and each replica's. */
export const BALANCER_PORT = 7460;
const REPLICA_PORTS = { a: 7461, b: 7462 } as const;
export type ReplicaName = keyof typeof REPLICA_PORTS;
/** A backend on a restored backup, beside the cluster (not behind the balancer). */
const RESTORED_PORT = 7463;

/**
 * Who the replicas' guest sign-in is at first: a Northwind contractor of the demo catalog (the development
 * guest is an admin, who needs no approvals), owner of reporting-service, whose sensitive actions need
 * approvals.
 */
export const CONTRACTOR = 'user:default/rafael-ortiz';

/** The harness's own caller: a static external access token, as CI jobs call the portal. */
export const HARNESS_TOKEN = 'scale-harness-token-0123456789abcdef';

export async function until<T>(
  read: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

/** One backend process of the production build, with the shared config and its own port. */
export class Replica {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  constructor(
    readonly name: string,
    private readonly port: number,
    private readonly backendDir: string,
    private readonly configs: string[],
    private readonly logDir: string,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const log = fs.openSync(path.join(this.logDir, `${this.name}.log`), 'a');
    // All the replica has of its own: its port, and the name its database connections carry (which replica
    // ran a scheduled task; pg_stat_activity).
    const own = path.join(this.logDir, `app-config.replica-${this.name}.yaml`);
    fs.writeFileSync(
      own,
      stringify({
        backend: {
          listen: { port: this.port },
          database: {
            connection: { application_name: `replica-${this.name}` },
          },
        },
      }),
    );
    const child = spawn(
      process.execPath,
      ['.', ...[...this.configs, own].flatMap(config => ['--config', config])],
      {
        cwd: this.backendDir,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        },
        stdio: ['ignore', log, log],
      },
    );
    this.child = child;
    this.exited = new Promise(resolve => child.once('exit', resolve));
    await until(async () => {
      if (child.exitCode !== null) {
        throw new Error(
          `replica ${this.name} exited with ${child.exitCode}; see ${this.logDir}/${this.name}.log`,
        );
      }
      const res = await fetch(`${this.url}/.backstage/health/v1/readiness`);
      return res.ok ? true : undefined;
    }, `replica ${this.name} to be ready`);
  }

  /** Sends the signal and waits for the process to end (SIGTERM: as a rolling restart stops a pod). */
  async stop(signal: NodeJS.Signals = 'SIGTERM') {
    if (!this.child || this.child.exitCode !== null) return null;
    this.child.kill(signal);
    return this.exited;
  }
}

/** HAProxy in front of the replicas, round robin, taking a replica out when its readiness check fails. */
class Balancer {
  private child?: ChildProcess;

  constructor(private readonly dir: string) {}

  get url() {
    return `http://127.0.0.1:${BALANCER_PORT}`;
  }

  async start() {
    const config = path.join(this.dir, 'haproxy.cfg');
    fs.writeFileSync(
      config,
      [
        'global',
        '  maxconn 4096',
        `  stats socket ${this.socket}`,
        'defaults',
        '  mode http',
        '  timeout connect 2s',
        '  timeout client 120s',
        '  timeout server 120s',
        // A replica busy with 50 clients on two cores can take a while to answer its readiness check.
        '  timeout check 3s',
        '  option redispatch',
        '  retries 3',
        'frontend portal',
        `  bind 127.0.0.1:${BALANCER_PORT}`,
        '  default_backend replicas',
        'backend replicas',
        '  balance roundrobin',
        // The harness's browsers ask for one replica with ?replica=a|b, to know which one holds their socket;
        // the query is dropped before the request goes on (a down replica is skipped all the same).
        '  http-request set-var(txn.pin) urlp(replica)',
        '  http-request set-uri %[path] if { var(txn.pin) -m found }',
        ...Object.keys(REPLICA_PORTS).map(
          name => `  use-server ${name} if { var(txn.pin) -m str ${name} }`,
        ),
        '  option httpchk GET /.backstage/health/v1/readiness',
        '  http-check expect status 200',
        ...Object.entries(REPLICA_PORTS).map(
          ([name, port]) =>
            `  server ${name} 127.0.0.1:${port} check inter 1s fall 2 rise 2`,
        ),
        '',
      ].join('\n'),
    );
    const log = fs.openSync(path.join(this.dir, 'haproxy.log'), 'a');
    this.child = spawn('haproxy', ['-db', '-f', config], {
      stdio: ['ignore', log, log],
    });
    await until(async () => {
      const res = await fetch(`${this.url}/.backstage/health/v1/readiness`);
      return res.ok ? true : undefined;
    }, 'the balancer');
  }

  /** Until the balancer's checks count the replica up again (`rise 2`). */
  untilUp(name: ReplicaName) {
    return until(async () => {
      const state = await this.command('show stat');
      // CSV: pxname,svname,...,status (18th field)
      const row = state
        .split('\n')
        .map(line => line.split(','))
        .find(fields => fields[0] === 'replicas' && fields[1] === name);
      return row?.[17] === 'UP' ? true : undefined;
    }, `the balancer to count replica ${name} up`);
  }

  private command(command: string) {
    return new Promise<string>((resolve, reject) => {
      let output = '';
      const socket = net.createConnection(this.socket, () =>
        socket.end(`${command}\n`),
      );
      socket.on('data', chunk => (output += chunk));
      socket.on('end', () => resolve(output));
      socket.on('error', reject);
    });
  }

  private get socket() {
    return path.join(this.dir, 'haproxy.sock');
  }

  stop() {
    this.child?.kill('SIGTERM');
  }
}

export interface Cluster {
  balancer: Balancer;
  replicas: Record<ReplicaName, Replica>;
  /** The prefix of every database the replicas made: `<prefix><pluginId>`. */
  databasePrefix: string;
  databaseOf(pluginId: string): string;
  /**
   * Makes `userRef` the guest sign-in: the replicas watch their config files, and the guest provider reads
   * its user at each sign-in (`guestToken(userRef)` waits until they have).
   */
  signInAs(userRef: string): void;
  /** The guest's token from `baseUrl` (the balancer by default), once it signs in as `userRef`. */
  guestToken(userRef: string, baseUrl?: string): Promise<string>;
  /**
   * A backend of the same build and config on databases restored under `databasePrefix`, on a port of its
   * own, as a disaster recovery would start one; `guest` signs in there.
   */
  startRestored(databasePrefix: string, guest: string): Promise<Replica>;
  stop(): Promise<void>;
}

/** What every replica shares; the harness's own additions to the development config. */
function sharedConfig(options: {
  baseUrl: string;
  databasePrefix: string;
  guest: string;
}) {
  const postgres = new URL(TEST_POSTGRES);
  return {
    app: { baseUrl: options.baseUrl },
    backend: {
      baseUrl: options.baseUrl,
      cors: { origin: options.baseUrl },
      database: {
        client: 'pg',
        connection: {
          host: postgres.hostname,
          port: Number(postgres.port || 5432),
          user: decodeURIComponent(postgres.username),
          ...(postgres.password
            ? { password: decodeURIComponent(postgres.password) }
            : {}),
        },
        prefix: options.databasePrefix,
        // This machine's PostgreSQL takes 100 connections; two replicas with ~18 plugin databases each at
        // Knex's default pool of 10 would ask for up to 360 ("sorry, too many clients already").
        knexConfig: { pool: { min: 0, max: 2 } },
      },
      cache: { store: 'redis', connection: 'redis://127.0.0.1:6379' },
      // As production: a stopping replica keeps serving while the balancer notices its readiness is 503,
      // long enough for the requests it took meanwhile (and their calls to its own plugins) to finish.
      lifecycle: { serverShutdownDelay: '10s' },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: HARNESS_TOKEN, subject: 'scale-harness' },
          },
        ],
      },
    },
    // The development sign-in, allowed on these backends only, as one person of the demo catalog.
    auth: {
      providers: {
        guest: {
          dangerouslyAllowOutsideDevelopment: true,
          userEntityRef: options.guest,
        },
      },
    },
  };
}

const subjectOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;

/**
 * The sandbox's upstreams are expected to run already. Writes the shared config (PostgreSQL with a prefix
 * of its own, the Redis cache, the balancer as the base URL so plugin-to-plugin calls cross replicas too),
 * starts both replicas and HAProxy.
 */
export async function startCluster(options: {
  backendDir: string;
  workDir: string;
}): Promise<Cluster> {
  const { backendDir, workDir } = options;
  const databasePrefix = `scale_${process.pid}_`;
  await dropDatabasesWithPrefix(databasePrefix);
  const balancerUrl = `http://127.0.0.1:${BALANCER_PORT}`;
  const config = path.join(workDir, 'app-config.scale.yaml');
  const writeConfig = (guest: string) =>
    fs.writeFileSync(
      config,
      stringify(sharedConfig({ baseUrl: balancerUrl, databasePrefix, guest })),
    );
  writeConfig(CONTRACTOR);
  const configs = ['../../app-config.yaml', config];
  const replicas = {
    a: new Replica('a', REPLICA_PORTS.a, backendDir, configs, workDir),
    b: new Replica('b', REPLICA_PORTS.b, backendDir, configs, workDir),
  };
  // One at a time, as a deployment rolls out: the second finds the migrations done.
  await replicas.a.start();
  await replicas.b.start();
  const balancer = new Balancer(workDir);
  await balancer.start();
  const started: Replica[] = [];
  return {
    balancer,
    replicas,
    databasePrefix,
    databaseOf: pluginId => `${databasePrefix}${pluginId}`,
    signInAs: writeConfig,
    guestToken: (userRef, baseUrl = balancerUrl) =>
      until(async () => {
        const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
          headers: { 'x-requested-with': 'XMLHttpRequest' },
        });
        const token: string | undefined = (await res.json())?.backstageIdentity
          ?.token;
        return token && subjectOf(token) === userRef ? token : undefined;
      }, `a guest token of ${userRef}`),
    startRestored: async (restoredPrefix, guest) => {
      const url = `http://127.0.0.1:${RESTORED_PORT}`;
      const own = path.join(workDir, 'app-config.restored.yaml');
      fs.writeFileSync(
        own,
        stringify(
          sharedConfig({
            baseUrl: url,
            databasePrefix: restoredPrefix,
            guest,
          }),
        ),
      );
      const restored = new Replica(
        'restored',
        RESTORED_PORT,
        backendDir,
        ['../../app-config.yaml', own],
        workDir,
      );
      started.push(restored);
      await restored.start();
      return restored;
    },
    stop: async () => {
      balancer.stop();
      await Promise.all(
        [replicas.a, replicas.b, ...started].map(r => r.stop()),
      );
      await dropDatabasesWithPrefix(databasePrefix);
    },
  };
}
