/**
 * The load generator's own process (spawned by load-run.ts; never imported): autocannon keeps
 * `connections` keep-alive connections busy for warm-up + duration seconds, and only requests
 * sent after the warm-up are counted. A Node server saturated by its open connections accepts
 * new ones about one per event-loop turn, so opening 50 connections against it takes seconds;
 * those first requests belong to the warm-up, not to the steady state measured here.
 * Prints one JSON line (LoadResult) on stdout.
 * Usage: node load-child.js URL CONNECTIONS WARMUP_SECONDS DURATION_SECONDS
 */
import autocannon from 'autocannon';
import { quantile } from './stats.js';

interface Tally {
  latencies: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
  measuring: boolean;
  startedAt: number;
}

function run(url: string, connections: number, warmupSeconds: number, durationSeconds: number): Promise<Tally> {
  const tally: Tally = { latencies: [], non2xx: 0, errors: 0, timeouts: 0, measuring: false, startedAt: 0 };
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: warmupSeconds + durationSeconds }, (error) =>
      error ? reject(error) : resolve(tally),
    );
    instance.once('start', () => {
      setTimeout(() => Object.assign(tally, { measuring: true, startedAt: performance.now() }), warmupSeconds * 1_000);
    });
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      // Requests sent before the window (a connection's first, while the server had not yet
      // accepted it) are warm-up, even when they are answered inside it.
      if (!tally.measuring || performance.now() - responseTime < tally.startedAt) return;
      if (statusCode >= 200 && statusCode < 300) tally.latencies.push(responseTime);
      else tally.non2xx += 1;
    });
    instance.on('reqError', (error: Error) => {
      if (!tally.measuring) return;
      tally.errors += 1;
      if (error.message === 'request timed out') tally.timeouts += 1;
    });
  });
}

const [url = '', connections = '50', warmup = '2', duration = '10'] = process.argv.slice(2);
const tally = await run(url, Number(connections), Number(warmup), Number(duration));
const seconds = (performance.now() - tally.startedAt) / 1_000;
const requests = tally.latencies.length + tally.non2xx;
const at = (q: number) => Math.round(quantile(tally.latencies, q) * 100) / 100;
console.log(
  JSON.stringify({
    requests,
    durationSeconds: seconds,
    throughput: requests / seconds,
    latency: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
    errors: tally.errors,
    timeouts: tally.timeouts,
    non2xx: tally.non2xx,
  }),
);
