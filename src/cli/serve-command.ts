/**
 * `ocidex serve`: the HTTP API with crawls, schedules and push events. Embedded mode (no
 * REDIS_URL) runs everything in this process; queue mode enqueues for `ocidex worker`. Tokens and
 * the event secret come from the environment only, never from flags (they would show in `ps`).
 */
import type { ApiConfig } from '../api/index.js';
import { loadSavedQueries } from '../query/index.js';
import { credentialPolicyFromEnv } from '../registry/credential-sources.js';
import { startService } from '../embedded/index.js';
import { savedQueriesDir } from './paths.js';

export interface ServeCommandOptions {
  config?: string;
  db: string;
  port: number;
  host: string;
}

/** The API settings from OCIDEX_ADMIN_TOKEN, OCIDEX_READ_TOKEN, OCIDEX_EVENT_SECRET, OCIDEX_CORS_ORIGINS. */
export function apiConfigFromEnv(env: NodeJS.ProcessEnv): ApiConfig {
  const config: ApiConfig = {};
  const set = (name: string): string | undefined =>
    env[name] === undefined || env[name] === '' ? undefined : env[name];
  config.adminToken = set('OCIDEX_ADMIN_TOKEN');
  config.readToken = set('OCIDEX_READ_TOKEN');
  config.eventSecret = set('OCIDEX_EVENT_SECRET');
  config.credentialPolicy = credentialPolicyFromEnv(env);
  const metricsToken = env.OCIDEX_METRICS_REQUIRE_TOKEN;
  if (metricsToken === '1' || metricsToken === 'true') config.metricsRequireToken = true;
  config.env = env;
  const origins = (set('OCIDEX_CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  if (origins.length > 0) config.cors = { origins };
  return config;
}

/** Runs the service until SIGINT or SIGTERM; resolves with the exit code (2: bad configuration). */
export async function runServe(options: ServeCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const redisUrl = env.REDIS_URL === '' ? undefined : env.REDIS_URL;
  // A bad configuration throws here, before anything listens: cli.ts reports it (exit code 2).
  const settings = {
    db: options.db,
    configPath: options.config ?? (env.OCIDEX_CONFIG || undefined),
    port: options.port,
    host: options.host,
    api: apiConfigFromEnv(env),
    savedQueries: loadSavedQueries(savedQueriesDir()),
  };
  // Queue mode's modules (BullMQ) load only when it runs.
  const service: { url: string; close(): Promise<boolean> } =
    redisUrl === undefined
      ? await startService(settings)
      : await (await import('../queue/service.js')).startQueueService({ ...settings, redisUrl });
  const mode = redisUrl === undefined ? 'embedded' : 'queue';
  const signal = await announceThenAwaitSignal(() =>
    process.stdout.write(`ocidex serving on ${service.url} (${mode} mode)\n`),
  );
  process.stderr.write(`ocidex serve: ${signal}, shutting down\n`);
  return (await service.close()) ? 0 : 1;
}

/**
 * Listens for SIGINT and SIGTERM, then calls `announce` (the line saying the process is up), and
 * resolves with the first signal; a second one exits at once. Listening comes first: until a
 * listener is installed, a signal kills the process without its shutdown steps.
 */
export function announceThenAwaitSignal(announce: () => void): Promise<NodeJS.Signals> {
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    const handler = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', handler).off('SIGTERM', handler);
      process.once('SIGINT', () => process.exit(130)).once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', handler).on('SIGTERM', handler);
  });
  announce();
  return signalled;
}
