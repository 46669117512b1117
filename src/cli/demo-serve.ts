/**
 * `ocidex demo --serve`: after the demo's crawl, the embedded service on the demo's index with
 * the demo registry configured (so "crawl now" works), serving the catalog on a printed URL
 * until Ctrl-C or SIGTERM. The admin token is made up for this run and printed: it guards a
 * loopback service that lives as long as the demo.
 */
import { randomBytes } from 'node:crypto';
import { loadSavedQueries } from '../query/index.js';
import { startService } from '../embedded/index.js';
import { silentLogger } from '../runtime/index.js';
import { savedQueriesDir } from './paths.js';
import { announceThenAwaitSignal } from './serve-command.js';

/** Serves `db` with `registryUrl` configured as `demo`; resolves true when shutdown went cleanly. */
export async function serveDemo(
  options: { db: string; port: number; registryUrl: string },
  log: (line: string) => void,
): Promise<boolean> {
  const adminToken = randomBytes(18).toString('base64url');
  const service = await startService({
    db: options.db,
    port: options.port,
    host: '127.0.0.1',
    api: { adminToken },
    savedQueries: loadSavedQueries(savedQueriesDir()),
    logger: silentLogger,
  });
  if ((await service.registries.get('demo')) === null) {
    await service.registries.create({ id: 'demo', url: options.registryUrl });
  }
  const signal = await announceThenAwaitSignal(() =>
    log(`The catalog is served at ${service.url}/ (admin token for this run: ${adminToken}); Ctrl-C to stop.`),
  );
  log(`ocidex demo: ${signal}, shutting down`);
  return service.close();
}
