/**
 * Two `ocidex serve` processes (the built CLI, embedded mode) on one real PostgreSQL database,
 * with real docker-registry: a crawl started through one is answered the same by both (pages,
 * cursors, facets, artifacts); a push event the registry sends to one is applied once and shows
 * through the other; a schedule fires in exactly one process (the holder of the scheduler's
 * lead); /readyz follows the database down and back; the other process takes the schedule over
 * when the firing one exits.
 */
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { spawnCaptured, stopProcess, type CapturedProcess } from '../../src/demo/child-process.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { pushSampleSet } from '../../src/demo/sample-set.js';
import { omlmdArtifact, pushArtifact } from '../../src/demo/samples.js';
import type { ArtifactDocument } from '../../src/domain/document.js';
import { openIndex, type IndexStore } from '../../src/store/index.js';
import { startPostgres, type RunningPostgres } from '../support/postgres-process.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const ADMIN_TOKEN = 'admin-token-serve-postgres';
const EVENT_SECRET = 'event-secret-serve-postgres';
const POLL_MS = 50;
const POLL_LIMIT_MS = 20_000;

/** One `ocidex serve` child process. */
interface Replica {
  name: string;
  server: CapturedProcess;
  url: string;
  pid: number;
}

/** The child's environment: embedded mode, no Docker config, two query workers, the test's tokens. */
function environment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL' && !name.startsWith('OCIDEX_')),
  );
  return {
    ...env,
    DOCKER_CONFIG: '/nonexistent',
    OCIDEX_ADMIN_TOKEN: ADMIN_TOKEN,
    OCIDEX_EVENT_SECRET: EVENT_SECRET,
    OCIDEX_QUERY_WORKERS: '2',
  };
}

async function startReplica(name: string, database: string): Promise<Replica> {
  const server = spawnCaptured(process.execPath, [CLI, 'serve', '--db', database, '--port', '0'], environment());
  const url = await pollUntil(
    async () => /ocidex serving on (http:\/\/\S+)/.exec(server.output())?.[1],
    `${name}'s URL`,
  );
  return { name, server, url, pid: server.child.pid ?? -1 };
}

/** Polls `check` every POLL_MS until it answers a value other than undefined or false. */
async function pollUntil<T>(check: () => Promise<T | undefined | false>, what: string): Promise<T> {
  const deadline = Date.now() + POLL_LIMIT_MS;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${what}: not seen within ${POLL_LIMIT_MS} ms`);
}

async function api(replica: Replica, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(`${replica.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function json(replica: Replica, path: string): Promise<unknown> {
  const response = await api(replica, 'GET', path);
  expect(response.status, `${replica.name} GET ${path}: ${await response.clone().text()}`).toBe(200);
  return response.json();
}

/** The log lines of a replica (JSON on stderr) with `message`. */
function logged(replica: Replica, message: string): number {
  return replica.server
    .output()
    .split('\n')
    .filter((line) => line.includes(`"message":"${message}"`)).length;
}

/** Whether a replica's last word on the scheduler's lead was that it took it. */
function leads(replica: Replica): boolean {
  const lines = replica.server.output().split('\n');
  const last = lines.filter((line) => /"message":"lead (taken|lost)"/.test(line)).at(-1);
  return last?.includes('"lead taken"') === true && !replica.server.hasExited();
}

describe('two ocidex serve processes on one PostgreSQL database', () => {
  let postgres: RunningPostgres;
  let replicas: [Replica, Replica];
  let crawled: RunningRegistry;
  let pushed: RunningRegistry;
  let store: IndexStore;

  /** The crawls of registry `crawled` its schedule started, newest first. */
  const scheduled = () => store.listRuns({ registry: crawled.host }).filter((run) => run.params.trigger === 'schedule');

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    postgres = await startPostgres();
    replicas = [await startReplica('a', postgres.url), await startReplica('b', postgres.url)];
    const [a, b] = replicas;
    crawled = await startRegistry();
    pushed = await startRegistry({
      notifications: {
        url: `${a.url}/v1/events/distribution?registry=pushed`,
        headers: { Authorization: `Bearer ${EVENT_SECRET}` },
      },
    });
    // Each registry is created through a different process: both are stored in the one database.
    expect((await api(a, 'POST', '/v1/registries', { id: 'crawled', url: crawled.url })).status).toBe(201);
    expect((await api(b, 'POST', '/v1/registries', { id: 'pushed', url: pushed.url })).status).toBe(201);
    store = openIndex(postgres.url);
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas ?? []) await stopProcess(replica.server);
    store?.close();
    await crawled?.stop();
    await pushed?.stop();
    await postgres?.stop();
  });

  it('answers the same from both after a crawl started through one', async () => {
    const [a, b] = replicas;
    const pusher = new Pusher(crawled.url);
    await pushSampleSet(pusher).finally(() => pusher.close());
    const started = await api(b, 'POST', '/v1/registries/crawled/crawl');
    expect(started.status).toBe(202);
    const { crawlId } = (await started.json()) as { crawlId: number };
    // The run recorded by b, followed through a.
    const run = await pollUntil(async () => {
      const current = (await json(a, `/v1/crawls/${crawlId}`)) as { status: string };
      return current.status !== 'running' && current;
    }, 'the crawl');
    expect(run).toMatchObject({ status: 'succeeded' });
    const queries = [
      '/v1/models',
      `/v1/models?q=${encodeURIComponent("$[?@.model.license == 'Apache-2.0']")}`,
      `/v1/models?q=${encodeURIComponent('$[?@.signed == true].reference')}&sort=${encodeURIComponent('@.reference')}`,
      `/v1/facets?path=${encodeURIComponent('@.format')}&path=${encodeURIComponent('@.model.license')}`,
      `/v1/models?text=fraud`,
    ];
    for (const path of queries) expect(await json(b, path), path).toEqual(await json(a, path));
    const all = (await json(a, '/v1/models')) as { items: ArtifactDocument[] };
    expect(all.items.length).toBeGreaterThan(15);
    const first = all.items[0] as ArtifactDocument;
    const artifact = `/v1/artifacts/${encodeURIComponent(first.reference)}`;
    expect(await json(b, artifact)).toEqual(await json(a, artifact));
    // A cursor one process gave is read the same by the other (replicas behind one load balancer).
    const page = (await json(a, '/v1/models?limit=4')) as { items: ArtifactDocument[]; nextCursor: string };
    const next = `/v1/models?limit=4&cursor=${encodeURIComponent(page.nextCursor)}`;
    expect(((await json(b, next)) as { items: ArtifactDocument[] }).items).toEqual(all.items.slice(4, 8));
  }, 120_000);

  it('applies a push event sent to one process once, and shows it through the other', async () => {
    const [a, b] = replicas;
    const pusher = new Pusher(pushed.url);
    const model = omlmdArtifact({ metadata: { name: 'pushed-to-a', customProperties: { license: 'MIT' } } });
    await pushArtifact(pusher, 'models/pushed', model, 'v1').finally(() => pusher.close());
    const byName = `/v1/models?q=${encodeURIComponent("$[?@.model.name == 'pushed-to-a']")}`;
    const seen = await pollUntil(async () => {
      const { items } = (await json(b, byName)) as { items: ArtifactDocument[] };
      return items.length === 1 && items;
    }, 'the pushed model through b');
    expect(seen[0]).toMatchObject({ registry: pushed.host, repository: 'models/pushed', tags: ['v1'] });
    expect(await json(a, byName)).toEqual(await json(b, byName));
    expect(store.tagHistory(pushed.host, 'models/pushed').map((event) => event.tag)).toEqual(['v1']);
    expect(store.listRuns({ registry: pushed.host })).toEqual([]);
  }, 60_000);

  it('fires a schedule set through one process in exactly one of them', async () => {
    // No outage yet: the lead is where it was taken at start.
    const leader = await pollUntil(async () => {
      const leading = replicas.filter(leads);
      return leading.length === 1 && leading[0];
    }, 'one leader');
    const follower = replicas.find((replica) => replica !== leader) as Replica;
    // Set through the follower: the leader reads it from the database at its next poll.
    expect((await api(follower, 'PATCH', '/v1/registries/crawled', { schedule: '* * * * * *' })).status).toBe(200);
    await pollUntil(async () => scheduled().length >= 3, 'three scheduled crawls');
    expect(new Set(scheduled().map((run) => run.owner?.pid))).toEqual(new Set([leader.pid]));
    expect(logged(follower, 'schedule fired')).toBe(0);
    expect(logged(leader, 'schedule fired')).toBeGreaterThanOrEqual(3);
    expect((await api(follower, 'PATCH', '/v1/registries/crawled', { schedule: null })).status).toBe(200);
  }, 60_000);

  it('starts one crawl when both processes are asked at once to crawl the same registry', async () => {
    // A registry that accepts connections and never answers: its crawl stays running.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const created = await api(replicas[0], 'POST', '/v1/registries', { id: 'silent', url: `http://${host}` });
    expect(created.status).toBe(201);
    const asked = await Promise.all(replicas.map((replica) => api(replica, 'POST', '/v1/registries/silent/crawl')));
    expect(asked.map((response) => response.status)).toEqual([202, 202]);
    const bodies = (await Promise.all(asked.map((response) => response.json()))) as Array<{ crawlId: number }>;
    const ids = bodies.map((body) => body.crawlId);
    expect(ids[1]).toBe(ids[0]);
    const runs = store.listRuns({ registry: host });
    expect(runs.map((run) => [run.id, run.status])).toEqual([[ids[0], 'running']]);
    // Asked again through the process that is not crawling it: the same run.
    const crawler = replicas.find((replica) => replica.pid === runs[0]?.owner?.pid) as Replica;
    const other = replicas.find((replica) => replica !== crawler) as Replica;
    const again = await api(other, 'POST', '/v1/registries/silent/crawl');
    expect(await again.json()).toEqual({ crawlId: ids[0] });
    expect(logged(other, 'crawl already running elsewhere')).toBeGreaterThanOrEqual(1);
    expect(store.listRuns({ registry: host })).toHaveLength(1);
  });

  it('says not ready while PostgreSQL is down and ready again once it is back, answering as before', async () => {
    const before = await Promise.all(replicas.map((replica) => json(replica, '/v1/models')));
    for (const replica of replicas) expect((await fetch(`${replica.url}/readyz`)).status).toBe(200);
    await postgres.stopServer();
    for (const replica of replicas) {
      const ready = await fetch(`${replica.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { indexWritable: false } });
      const query = await api(replica, 'GET', '/v1/models');
      expect(query.status).toBe(503);
      const text = await query.text();
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'index_unavailable' } });
      expect(text).not.toContain(String(postgres.port));
    }
    await postgres.startServer();
    const back = performance.now();
    for (const replica of replicas) {
      expect((await fetch(`${replica.url}/readyz`)).status).toBe(200);
      expect(replica.server.hasExited()).toBe(false);
    }
    console.log(
      `outage: both replicas ready ${Math.round(performance.now() - back)} ms after PostgreSQL accepted sessions again`,
    );
    const after = await Promise.all(replicas.map((replica) => json(replica, '/v1/models')));
    expect(after).toEqual(before);
  }, 60_000);

  it('hands the schedule to the other process within one poll when the firing one exits', async () => {
    const [a] = replicas;
    const earlier = Math.max(0, ...scheduled().map((run) => run.id));
    expect((await api(a, 'PATCH', '/v1/registries/crawled', { schedule: '* * * * * *' })).status).toBe(200);
    // The firing process: the owner of the last two new scheduled crawls (the lead may change
    // hands once just after the outage above, when the lock was free until the next poll).
    const firing = await pollUntil(async () => {
      const [last, before] = scheduled().filter((run) => run.id > earlier);
      const same = last !== undefined && before !== undefined && last.owner?.pid === before.owner?.pid;
      return same && replicas.find((replica) => replica.pid === last.owner?.pid);
    }, 'two scheduled crawls by one process');
    const other = replicas.find((replica) => replica !== firing) as Replica;
    await stopProcess(firing.server);
    const exited = performance.now();
    const lastOfFiring = Math.max(...scheduled().map((run) => run.id));
    const byOther = () => scheduled().filter((run) => run.id > lastOfFiring && run.owner?.pid === other.pid);
    await pollUntil(async () => byOther().length >= 1, 'a scheduled crawl by the other process');
    console.log(
      `takeover: first scheduled crawl by the other process ${Math.round(performance.now() - exited)} ms after the firing one exited (lead polled every 2 s, polled here every ${POLL_MS} ms)`,
    );
    await pollUntil(async () => byOther().length >= 2, 'scheduled crawls by the other process');
    expect(leads(other)).toBe(true);
    expect((await api(other, 'PATCH', '/v1/registries/crawled', { schedule: null })).status).toBe(200);
  }, 90_000);
});
