/**
 * The HTTP API (Hono): `createApp(deps)` builds it, `startServer` serves it. The service
 * interfaces it needs (registry configs, crawls, push events) are declared in deps.ts.
 */
export { createApp } from './app.js';
export {
  startServer,
  DEFAULT_CLOSE_GRACE_MS,
  type FetchApp,
  type RunningServer,
  type ServerOptions,
} from './server.js';
export { createMetrics, Metrics, type MetricsSources, type QueryOutcome } from './metrics.js';
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_QUERY_LENGTH, DEFAULT_REQUEST_TIMEOUT_MS } from './limits.js';
export { DEFAULT_PAGE_SIZE } from './query-page.js';
export type {
  ApiConfig,
  ApiDeps,
  ApiLogger,
  CrawlCoordinator,
  PushEventSink,
  ReadinessCheck,
  RegistryConfigStore,
} from './deps.js';
export type { ApiErrorCode, ErrorBody } from './errors.js';
