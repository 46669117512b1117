/**
 * `createApp(deps)`: the Hono app of the HTTP API. Middleware in order: request time limit,
 * CORS (when configured; before auth so preflights pass), body size, query length, access
 * control of `/v1/*`; then one router per resource, the catalog at `/`; one `onError` and one `notFound`.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { artifactsRoutes } from './artifacts.js';
import { catalogRoutes } from './catalog.js';
import { accessControl, metricsAccess } from './auth.js';
import { crawlsRoutes } from './crawls.js';
import { trustPoliciesRoutes } from './trust-policies.js';
import type { ApiDeps } from './deps.js';
import { errorHandler, notFoundHandler, stderrLogger } from './errors.js';
import { eventsRoutes } from './events.js';
import { facetsRoutes } from './facets.js';
import { healthRoutes } from './health.js';
import {
  bodySizeLimit,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_QUERY_LENGTH,
  DEFAULT_REQUEST_TIMEOUT_MS,
  queryLengthLimit,
  requestTimeout,
} from './limits.js';
import { metricsRoutes } from './metrics.js';
import { modelsRoutes } from './models.js';
import { addOpenApi } from './openapi.js';
import { queriesRoutes } from './queries.js';
import { registriesRoutes } from './registries.js';
import { ResponseCache } from './response-cache.js';
import { dataVersionOf } from '../store/index.js';
import { newRouter } from './router.js';

/** How long browsers may cache a preflight answer. */
const CORS_MAX_AGE_SECONDS = 600;

/** The API app over `deps`; serve it with `startServer`, test it with `app.request()`. */
export function createApp(deps: ApiDeps): OpenAPIHono {
  const { config } = deps;
  const app = newRouter();
  app.onError(errorHandler(deps.logger ?? stderrLogger));
  app.notFound(notFoundHandler);

  app.use('*', requestTimeout(config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS));
  if (config.cors !== undefined) {
    app.use(
      '*',
      cors({
        origin: config.cors.origins,
        allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
        allowHeaders: ['Authorization', 'Content-Type'],
        exposeHeaders: ['Location', 'Retry-After'],
        maxAge: CORS_MAX_AGE_SECONDS,
      }),
    );
  }
  app.use('*', bodySizeLimit(config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));
  app.use('/v1/*', queryLengthLimit(config.maxQueryLength ?? DEFAULT_MAX_QUERY_LENGTH));
  app.use('/v1/*', accessControl(config));

  const version = deps.indexVersion === undefined ? dataVersionOf(deps.index.db) : deps.indexVersion;
  const responses = version === null ? null : new ResponseCache(version);
  app.route('/v1/models', modelsRoutes(deps, responses));
  app.route('/v1/facets', facetsRoutes(deps, responses));
  app.route('/v1/artifacts', artifactsRoutes(deps));
  app.route('/v1/queries', queriesRoutes(deps));
  app.route('/v1/registries', registriesRoutes(deps));
  app.route('/v1/crawls', crawlsRoutes(deps));
  app.route('/v1/trust-policies', trustPoliciesRoutes(deps));
  app.route('/v1/events', eventsRoutes(deps));
  app.route('/', healthRoutes(deps));
  if (config.metricsRequireToken === true) app.use('/metrics', metricsAccess(config));
  app.route('/metrics', metricsRoutes(deps.metrics));
  app.route('/', catalogRoutes(deps.catalog));
  addOpenApi(app);
  return app;
}
