/**
 * Crawl benchmark (`npm run bench`): a real local registry holding >= 2,000 manifests, crawled
 * into a fresh index, then recrawled unchanged. Prints the crawl rate, requests per manifest,
 * the recrawl's requests and peak RSS, side by side. A benchmark: nothing here is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { crawlRegistry } from '../src/crawl/crawl-registry.js';
import { pushBulkModels } from '../src/demo/bulk.js';
import { Pusher } from '../src/demo/pusher.js';
import { startRegistry } from '../src/demo/registry-process.js';
import { openIndex } from '../src/index/index.js';
import { RegistryClient } from '../src/registry/index.js';

const { values } = parseArgs({
  options: {
    repositories: { type: 'string', default: '40' },
    tags: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
  },
});
const repositories = Number(values.repositories);
const tagsPerRepository = Number(values.tags);
const concurrency = Number(values.concurrency);

const registry = await startRegistry();
const workDir = mkdtempSync(join(tmpdir(), 'ocidex-bench-'));
try {
  const pusher = new Pusher(registry.url);
  const pushStart = performance.now();
  const { manifests } = await pushBulkModels(pusher, { repositories, tagsPerRepository, concurrency: 8 });
  await pusher.close();
  console.log(`registry ${registry.url}: pushed ${manifests} manifests in ${((performance.now() - pushStart) / 1000).toFixed(1)} s`);

  const index = openIndex(join(workDir, 'bench.db'));
  const rows: Array<[string, string, string]> = [];
  for (const label of ['first crawl', 'recrawl (unchanged)']) {
    const client = new RegistryClient({ registry: registry.host, concurrency });
    const cpuBefore = process.cpuUsage();
    const summary = await crawlRegistry(client, index, { limits: { manifestConcurrency: concurrency } });
    const cpu = process.cpuUsage(cpuBefore);
    await client.close();
    const seconds = summary.durationMs / 1000;
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const counted = summary.counts.manifestsNew + summary.counts.manifestsUnchanged;
    const ops = summary.requests.byOperation;
    console.log(`\n${label}: ${summary.status}, ${seconds.toFixed(2)} s, errors ${summary.counts.errors}`);
    console.log(`  manifests new ${summary.counts.manifestsNew}, unchanged ${summary.counts.manifestsUnchanged}`);
    console.log(`  requests ${summary.requests.total}: ${JSON.stringify(ops)}`);
    console.log(`  crawler CPU ${cpuSeconds.toFixed(2)} s = ${((cpuSeconds / seconds) * 100).toFixed(0)}% of one core (the rest of the time it waits on the registry)`);
    rows.push([
      label,
      `${(counted / seconds).toFixed(0)} manifests/s`,
      `${(summary.requests.total / Math.max(1, counted)).toFixed(2)} requests/manifest, ` +
        `${(ops['manifest.get'] ?? 0) + (ops['blob.get'] ?? 0)} manifest+blob GETs`,
    ]);
  }
  index.close();
  console.log('\n| run | rate | requests |');
  console.log('|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(`\npeak RSS of the crawler process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  await registry.stop();
  rmSync(workDir, { recursive: true, force: true });
}
