/**
 * Prometheus metrics: a `Metrics` object the rest of ocidex calls (queries, crawls, registry
 * requests), gauges read from callbacks at scrape time (documents, queue depth), and the
 * `/metrics` router. Each Metrics has its own prom-client Registry, so several apps (tests) never
 * share counters.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { newRouter } from './router.js';

/** How a query ended, as a label. */
export type QueryOutcome = 'ok' | 'invalid' | 'timeout' | 'too_large' | 'overloaded' | 'error';

/** Where the gauges read their values at scrape time. */
export interface MetricsSources {
  /** Documents in the index. */
  documents?: () => number | Promise<number>;
  /** Jobs waiting, by queue name (queue mode); `{}` in embedded mode. */
  queueDepth?: () => Record<string, number> | Promise<Record<string, number>>;
  /** Query tasks running on the workers and waiting for one (the query pool's `stats`). */
  queryPool?: () => { running: number; waiting: number };
  /** Also export Node.js process metrics (CPU, memory, event loop lag). */
  processMetrics?: boolean;
}

/** Query latency buckets, in seconds: from index hits (ms) to the default 5 s budget. */
const QUERY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The metrics of one process. Create with `createMetrics`. */
export class Metrics {
  readonly registry = new Registry();
  readonly #queries: Histogram<'outcome'>;
  readonly #crawls: Counter<'status'>;
  readonly #registryRequests: Counter<'operation' | 'status'>;

  constructor(sources: MetricsSources = {}) {
    const registers = [this.registry];
    this.#queries = new Histogram({
      name: 'ocidex_query_duration_seconds',
      help: 'Time to answer a query, facet or saved query, by outcome.',
      labelNames: ['outcome'],
      buckets: QUERY_BUCKETS,
      registers,
    });
    this.#crawls = new Counter({
      name: 'ocidex_crawls_total',
      help: 'Finished crawls, by status.',
      labelNames: ['status'],
      registers,
    });
    this.#registryRequests = new Counter({
      name: 'ocidex_registry_requests_total',
      help: 'HTTP requests to registries, by operation and response status.',
      labelNames: ['operation', 'status'],
      registers,
    });
    const { documents, queueDepth, queryPool } = sources;
    new Gauge({
      name: 'ocidex_documents',
      help: 'Documents in the index.',
      registers,
      async collect() {
        if (documents !== undefined) this.set(await documents());
      },
    });
    new Gauge({
      name: 'ocidex_queue_depth',
      help: 'Jobs waiting, by queue.',
      labelNames: ['queue'],
      registers,
      async collect() {
        if (queueDepth === undefined) return;
        this.reset();
        for (const [queue, depth] of Object.entries(await queueDepth())) this.set({ queue }, depth);
      },
    });
    new Gauge({
      name: 'ocidex_query_tasks',
      help: 'Query tasks of the worker pool, by state (running, waiting).',
      labelNames: ['state'],
      registers,
      collect() {
        if (queryPool === undefined) return;
        const { running, waiting } = queryPool();
        this.set({ state: 'running' }, running);
        this.set({ state: 'waiting' }, waiting);
      },
    });
    if (sources.processMetrics === true) collectDefaultMetrics({ register: this.registry, prefix: 'ocidex_' });
  }

  /** One query (or facet) answered or failed after `seconds`. */
  observeQuery(seconds: number, outcome: QueryOutcome): void {
    this.#queries.observe({ outcome }, seconds);
  }

  /** One crawl finished with `status` (succeeded, failed). */
  crawlFinished(status: string): void {
    this.#crawls.inc({ status });
  }

  /** One registry request of `operation` (manifest.get, blob.get, ...) answered with `status` (or an error code). */
  registryRequest(operation: string, status: number | string): void {
    this.#registryRequests.inc({ operation, status: String(status) });
  }

  /** The exposition text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** A Metrics with its own registry. */
export function createMetrics(sources: MetricsSources = {}): Metrics {
  return new Metrics(sources);
}

/** `GET /metrics`: the Prometheus text format. */
export function metricsRoutes(metrics: Metrics) {
  const route = createRoute({
    method: 'get',
    path: '/',
    tags: ['operations'],
    summary: 'Prometheus metrics',
    responses: {
      200: { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: z.string() } } },
    },
  });
  return newRouter().openapi(route, async (c) => {
    return c.text(await metrics.text(), 200, { 'Content-Type': metrics.registry.contentType });
  });
}
