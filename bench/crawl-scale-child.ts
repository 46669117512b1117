/**
 * The crawler process of the scale benchmark (crawl-scale.ts), its own process so the RSS is the
 * crawler's alone. Modes: `crawl` crawls the registry into a fresh index then recrawls it,
 * `crawl-once` only crawls, `catalog` only pages the catalog (counting names, holding none).
 * Prints one JSON line per run: wall time, counts, requests by operation, CPU, and the process's
 * peak RSS so far (resourceUsage's maxRSS is the kernel's high-water mark, so a recrawl's covers
 * the first crawl too) and its RSS before the run.
 */
import { crawlRegistry } from '../src/crawl/crawl-registry.js';
import { openIndex } from '../src/store/index.js';
import { RegistryClient } from '../src/registry/index.js';

const [registry, db, concurrencyText, mode = 'crawl', pageSizeText] = process.argv.slice(2);
if (registry === undefined || db === undefined || !['crawl', 'crawl-once', 'catalog'].includes(mode)) {
  throw new Error('usage: crawl-scale-child <registry> <db> <concurrency> [crawl|crawl-once|catalog] [page size]');
}
const concurrency = Number(concurrencyText ?? '8');
const pageSize = pageSizeText === undefined || pageSizeText === '0' ? undefined : Number(pageSizeText);
/** Peak RSS sampled every 100 ms too, to show the peak is not a moment's spike. */
let sampledPeak = 0;
const sampler = setInterval(() => {
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
}, 100);

function memory(rssBefore: number) {
  return {
    rssBeforeMiB: rssBefore / 1024 / 1024,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    sampledPeakRssMiB: sampledPeak / 1024 / 1024,
  };
}

const newClient = () => new RegistryClient({ registry, concurrency, dockerConfigPath: null, pageSize });

async function crawlRuns(runs: string[]): Promise<void> {
  const index = openIndex(db as string);
  try {
    for (const run of runs) {
      const client = newClient();
      const [start, cpu, rssBefore] = [performance.now(), process.cpuUsage(), process.memoryUsage.rss()];
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
        byOperation: summary.requests.byOperation,
        cpuSeconds: (used.user + used.system) / 1e6,
        ...memory(rssBefore),
        documents: index.countDocuments(),
      };
      console.log(JSON.stringify(line));
    }
  } finally {
    index.close();
  }
}

/** Pages the whole catalog, keeping a count and the last name only. */
async function listCatalog(): Promise<void> {
  const client = newClient();
  const [start, cpu, rssBefore] = [performance.now(), process.cpuUsage(), process.memoryUsage.rss()];
  let repositories = 0;
  let last = '';
  try {
    for await (const name of client.catalog()) {
      repositories += 1;
      last = name;
    }
  } finally {
    await client.close();
  }
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - start) / 1000;
  const requests = client.stats.total;
  const line = { run: 'catalog', seconds, repositories, last, requests, byOperation: client.stats.byOperation };
  console.log(JSON.stringify({ ...line, cpuSeconds: (used.user + used.system) / 1e6, ...memory(rssBefore) }));
}

try {
  if (mode === 'catalog') await listCatalog();
  else await crawlRuns(mode === 'crawl' ? ['first crawl', 'recrawl'] : ['first crawl']);
} finally {
  clearInterval(sampler);
}
