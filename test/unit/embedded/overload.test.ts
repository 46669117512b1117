/**
 * The embedded service under the worst queries a client can send (`$[?count($..*) > 0]`, whose
 * filter walks every document for every document): with every worker busy and the wait queue
 * full, `/healthz`, `/readyz`, `/metrics` and writes still answer before any of those queries
 * ends (regression: evaluation ran on the event loop, four such queries froze the server for
 * 20 s), and queries past the caps are refused at once with 503 `overloaded` and `Retry-After`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GetResponse, httpGet } from '../../../src/demo/http-get.js';
import { openIndex } from '../../../src/store/index.js';
import { type RunningService, startService } from '../../../src/embedded/index.js';
import { silentLogger } from '../../../src/runtime/index.js';
import { testPoolSettings } from '../../support/query-pool.js';
import { modelDocument } from '../query/support.js';

/**
 * A worst-case query, a distinct URL per `n`: identical requests in flight share one computation
 * (src/api/response-cache.ts), and this test needs each to hold a worker or a queue place.
 */
const worst = (n: number) => `/v1/models?q=${encodeURIComponent('$[?count($..*) > 0]')}&limit=${n}`;
const ADMIN_TOKEN = 'admin-token-0123456789';
/** Two workers (one per client at most), two waiting tasks, two tasks per client: four fill the pool. */
const POOL = { workers: 2, maxQueued: 2, maxPerClient: 2, engine: { defaultTimeoutMs: 1_500 } };

let directory: string;
let service: RunningService;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ocidex-overload-'));
  const db = join(directory, 'index.db');
  const index = openIndex(db);
  const annotations = { a: 'x', b: 'y' };
  const documents = Array.from({ length: 1_000 }, (_, number) => modelDocument(`m${number}`, { annotations }));
  for (let start = 0; start < documents.length; start += 500) index.putDocuments(documents.slice(start, start + 500));
  index.close();
  service = await startService({
    db,
    port: 0,
    host: '127.0.0.1',
    api: { adminToken: ADMIN_TOKEN },
    logger: silentLogger,
    processMetrics: false,
    queryPool: testPoolSettings(POOL),
  });
});

afterAll(async () => {
  await service?.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Query tasks of the pool in `state`, as /metrics reports them. */
async function tasks(state: 'running' | 'waiting'): Promise<number> {
  const text = (await httpGet(`${service.url}/metrics`)).body;
  return Number(new RegExp(`^ocidex_query_tasks\\{state="${state}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? -1);
}

it('answers probes, metrics and writes while every worker runs a worst-case query and the queue is full', async () => {
  const answered: string[] = [];
  const track = <T>(label: string, work: Promise<T>): Promise<T> =>
    work.then((result) => {
      answered.push(label);
      return result;
    });
  // Two clients, two worst-case queries each: both workers busy, both queue places taken.
  const clients = ['127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.2'];
  const attacks = clients.map((address, n) => track('query', httpGet(`${service.url}${worst(n + 1)}`, address)));
  // /metrics answering while the pool fills is itself the point; the loop ends once it is full.
  const full = async () => (await tasks('running')) === 2 && (await tasks('waiting')) === 2;
  while (!(await full())) await new Promise((resolve) => setImmediate(resolve));

  const health = await track('healthz', httpGet(`${service.url}/healthz`));
  const ready = await track('readyz', httpGet(`${service.url}/readyz`));
  const write = await track(
    'write',
    fetch(`${service.url}/v1/registries`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'remote', url: 'https://registry.example' }),
    }),
  );
  const overClientCap = await track('refused', httpGet(`${service.url}${worst(5)}`, '127.0.0.1'));
  const overQueueCap = await track('refused', httpGet(`${service.url}${worst(6)}`, '127.0.0.3'));
  expect(answered).toEqual(['healthz', 'readyz', 'write', 'refused', 'refused']);

  expect([health.status, ready.status, write.status]).toEqual([200, 200, 201]);
  for (const refused of [overClientCap, overQueueCap]) expectOverloaded(refused);
  const finished = await Promise.all(attacks);
  expect(finished.map((response) => [response.status, JSON.parse(response.body).error?.code])).toEqual(
    Array.from({ length: 4 }, () => [422, 'query_timeout']),
  );
  expect(await tasks('running')).toBe(0);
});

function expectOverloaded(response: GetResponse): void {
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('1');
  expect(JSON.parse(response.body)).toEqual({ error: { code: 'overloaded', message: expect.any(String) } });
}
