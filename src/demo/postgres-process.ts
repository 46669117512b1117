/**
 * A throwaway PostgreSQL cluster on a random loopback port for tests and benchmarks: `initdb` in
 * a temp dir, `postgres` run directly (not pg_ctl's daemon, so it dies with us), its socket in
 * the temp dir (no /var/run/postgresql), durability off. A missing binary throws: PostgreSQL
 * tests must fail in CI, never skip. See https://www.postgresql.org/docs/current/app-initdb.html
 * and https://www.postgresql.org/docs/current/app-postgres.html.
 */
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { OcidexError } from '../domain/errors.js';
import {
  freeLoopbackPort,
  spawnCaptured,
  stopProcess,
  waitUntilReady,
  type CapturedProcess,
  type SpawnPlacement,
} from './child-process.js';
import { resolvePostgresBinDirectory, serverAccount } from './postgres-binaries.js';

/** The cluster's superuser (trust auth on loopback: no password) and the database created. */
export const POSTGRES_USER = 'ocidex';
export const POSTGRES_DATABASE = 'ocidex';
/** Names `createDatabase` accepts: unquoted identifiers, within the 63-byte limit. */
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Attempts with a fresh port when the one picked was taken in between. */
const PORT_ATTEMPTS = 5;
/** SIGINT is the server's fast shutdown: sessions are ended, no waiting for clients to leave. */
const STOP_SIGNAL = 'SIGINT';
/** Throwaway data: no crash safety, so tests and benchmarks pay for no fsync. */
const DEFAULT_SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

export interface PostgresOptions {
  /** The directory of `initdb` and `postgres`; else PATH, else the newest /usr/lib/postgresql/<ver>/bin. */
  binDir?: string;
  /** Server settings (`-c name=value`) over the defaults (e.g. `{ max_connections: '200' }`). */
  settings?: Record<string, string>;
}

export interface RunningPostgres {
  /** `postgres://ocidex@127.0.0.1:PORT/ocidex`. */
  url: string;
  port: number;
  /** The server's process id. */
  pid: number | undefined;
  /** The temp dir holding the cluster and the server's socket (removed on stop). */
  dir: string;
  /** The cluster's data directory (PGDATA), inside `dir`. */
  dataDir: string;
  /**
   * Creates another empty database and resolves to its URL: a fresh database per test is about
   * a tenth of a second, a fresh cluster (initdb) one to two seconds.
   */
  createDatabase(name: string): Promise<string>;
  /**
   * Stops the server and keeps the cluster (an outage: sessions end, connections are refused);
   * `startServer` brings it back on the same port with the same data.
   */
  stopServer(): Promise<void>;
  /** Starts the server stopped by `stopServer` again; resolves once it accepts sessions. */
  startServer(): Promise<void>;
  /** Stops the server (SIGINT, then SIGKILL) and removes its temp dir. */
  stop(): Promise<void>;
}

/** Creates a cluster, starts its server and resolves once database `ocidex` exists. */
export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const binDir = resolvePostgresBinDirectory(options.binDir);
  const account = await serverAccount();
  const dir = await mkdtemp(join(tmpdir(), 'ocidex-postgres-'));
  const dataDir = join(dir, 'data');
  const placement: SpawnPlacement = { cwd: dir, ...account };
  try {
    if (account !== undefined) await chown(dir, account.uid, account.gid);
    await initCluster(binDir, dataDir, placement);
    const server = { binDir, socketDir: dir, dataDir, placement, settings: options.settings ?? {} };
    let { process: running, port } = await launchOnFreePort(server);
    const stopServer = (): Promise<void> => stopProcess(running, undefined, STOP_SIGNAL);
    const stop = async (): Promise<void> => {
      await stopServer();
      await rm(dir, { recursive: true, force: true });
    };
    const createDatabase = (name: string) => createEmptyDatabase(port, name);
    const url = await createDatabase(POSTGRES_DATABASE).catch(async (error: unknown) => {
      await stop();
      throw error;
    });
    const startServer = async (): Promise<void> => {
      if (running.hasExited()) running = await launch(server, port);
    };
    return {
      url,
      port,
      get pid() {
        return running.child.pid;
      },
      dir,
      dataDir,
      createDatabase,
      stopServer,
      startServer,
      stop,
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The environment without PG* variables (PGDATA, PGPORT, ...), which would override our flags. */
function serverEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PG')));
}

async function initCluster(binDir: string, dataDir: string, placement: SpawnPlacement): Promise<void> {
  const args = ['-D', dataDir, '--auth=trust', `--username=${POSTGRES_USER}`, '--encoding=UTF8', '--no-locale'];
  // --no-sync: the cluster is thrown away, so initdb need not flush it to disk.
  const initdb = spawnCaptured(join(binDir, 'initdb'), [...args, '--no-sync'], serverEnvironment(), placement);
  const { code, signal } = await initdb.exited;
  if (code !== 0) {
    const status = signal ?? `exit code ${code}`;
    throw new OcidexError('internal', `initdb failed (${status}): ${initdb.output() || '(no output)'}`);
  }
}

/** Where and how a cluster's server runs. */
interface ServerPlacement {
  binDir: string;
  socketDir: string;
  dataDir: string;
  placement: SpawnPlacement;
  settings: Record<string, string>;
}

async function launchOnFreePort(server: ServerPlacement): Promise<{ process: CapturedProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return { process: await launch(server, port), port };
    } catch (error) {
      const portTaken = /address already in use/i.test((error as Error).message);
      if (!portTaken || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

/** Starts the server on `port`; resolves once it accepts sessions. */
async function launch(server: ServerPlacement, port: number): Promise<CapturedProcess> {
  const configured = Object.entries({ ...DEFAULT_SETTINGS, ...server.settings }).flatMap(([name, value]) => [
    '-c',
    `${name}=${value}`,
  ]);
  const args = ['-D', server.dataDir, '-p', String(port), '-k', server.socketDir, ...configured];
  const running = spawnCaptured(join(server.binDir, 'postgres'), args, serverEnvironment(), server.placement);
  try {
    await waitUntilReady(running, () => acceptsConnections(port), `postgres on port ${port}`);
    return running;
  } catch (error) {
    await stopProcess(running, undefined, STOP_SIGNAL);
    // The server's own words (e.g. "address already in use") say why it did not start.
    throw new OcidexError('unreachable', (error as Error).message, {}, { cause: error });
  }
}

/** Runs `work` on one connection to `database` on the local server, then closes it. */
async function withClient<T>(port: number, database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: POSTGRES_USER,
    database,
    connectionTimeoutMillis: 1_000,
  });
  // A server shutting down mid-check ends the connection: an 'error' event, not a crash.
  client.on('error', () => {});
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** True once the server accepts a session and runs a query (not while it is starting up). */
async function acceptsConnections(port: number): Promise<boolean> {
  return withClient(port, 'postgres', async (client) => (await client.query('SELECT 1 AS ready')).rowCount === 1);
}

/** Creates database `name` (a plain lower-case identifier, so it needs no quoting) and returns its URL. */
async function createEmptyDatabase(port: number, name: string): Promise<string> {
  if (!DATABASE_NAME.test(name)) {
    throw new OcidexError('invalid_argument', `database name must match ${DATABASE_NAME.source}: ${name}`);
  }
  await withClient(port, 'postgres', (client) => client.query(`CREATE DATABASE ${name}`));
  return `postgres://${POSTGRES_USER}@127.0.0.1:${port}/${name}`;
}
