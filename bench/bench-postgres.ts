/**
 * The PostgreSQL side of the benchmarks: a throwaway server (src/demo/postgres-process.ts,
 * durability off as in the tests) with one database per benchmark index, or a server the caller
 * gives (`--pg-url`, a database the benchmark fills when it is empty).
 */
import { type RunningPostgres, startPostgres } from '../src/demo/postgres-process.js';

/** Server settings over the harness's: memory for a 1M-document index (a production server would be tuned too). */
const BENCH_SETTINGS: Record<string, string> = {
  shared_buffers: '1GB',
  effective_cache_size: '4GB',
  work_mem: '32MB',
  maintenance_work_mem: '512MB',
  max_connections: '200',
};

export interface BenchPostgres {
  /** The URL of the database holding the `count`-document index. */
  url: string;
  /** Stops the server when the benchmark started it. */
  stop(): Promise<void>;
}

/** A database for the `count`-document benchmark index: on `givenUrl`, else on a throwaway server. */
export async function benchPostgres(count: number, givenUrl?: string): Promise<BenchPostgres> {
  if (givenUrl !== undefined) return { url: givenUrl, stop: async () => {} };
  const started = performance.now();
  const server: RunningPostgres = await startPostgres({ settings: BENCH_SETTINGS });
  try {
    const url = await server.createDatabase(`bench_${count}`);
    console.log(
      `throwaway PostgreSQL on port ${server.port} (${((performance.now() - started) / 1000).toFixed(1)} s; fsync off; ` +
        Object.entries(BENCH_SETTINGS)
          .map(([name, value]) => `${name}=${value}`)
          .join(', ') +
        ')',
    );
    return { url, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
