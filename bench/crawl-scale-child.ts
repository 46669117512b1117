/**
 * The crawler process of the scale benchmark (crawl-scale.ts): crawls the registry given into a
 * fresh index, then recrawls it, and prints one JSON line per run with its wall time, counts,
 * requests, CPU and the process's peak RSS so far (after the first crawl: the first crawl's).
 * Its own process, so the RSS is the crawler's alone, not the pusher's.
 */
import { crawlRegistry } from '../src/crawl/crawl-registry.js';
import { openIndex } from '../src/store/index.js';
import { RegistryClient } from '../src/registry/index.js';

const [registry, db, concurrencyText] = process.argv.slice(2);
if (registry === undefined || db === undefined)
  throw new Error('usage: crawl-scale-child <registry> <db> [concurrency]');
const concurrency = Number(concurrencyText ?? '8');
const index = openIndex(db);
/** Peak RSS sampled every 100 ms too (resourceUsage's maxRSS is the kernel's high-water mark). */
let sampledPeak = 0;
const sampler = setInterval(() => {
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
}, 100);
try {
  for (const run of ['first crawl', 'recrawl']) {
    const client = new RegistryClient({ registry, concurrency, dockerConfigPath: null });
    const [start, cpu] = [performance.now(), process.cpuUsage()];
    const summary = await crawlRegistry(client, index, { limits: { manifestConcurrency: concurrency } }).finally(() =>
      client.close(),
    );
    const used = process.cpuUsage(cpu);
    const line = {
      run,
      seconds: (performance.now() - start) / 1000,
      status: summary.status,
      counts: summary.counts,
      requests: summary.requests.total,
      cpuSeconds: (used.user + used.system) / 1e6,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      sampledPeakRssMiB: sampledPeak / 1024 / 1024,
      documents: index.countDocuments(),
    };
    console.log(JSON.stringify(line));
  }
} finally {
  clearInterval(sampler);
  index.close();
}
