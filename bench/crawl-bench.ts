/**
 * Crawl benchmark (`npm run bench`): a real local registry holding >= 2,000 manifests, every
 * `--signed-every`-th signed with a cosign key (an OCI 1.1 referrer in the tag-schema fallback),
 * crawled into a fresh index with a trust policy holding that key (signatures fetched and
 * verified), then recrawled unchanged. Prints the crawl rate, requests per manifest, what the
 * signatures cost, the recrawl's requests and peak RSS. A benchmark: nothing here is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { crawlRegistry } from '../src/crawl/crawl-registry.js';
import { pushBulkModels } from '../src/demo/bulk.js';
import { Pusher } from '../src/demo/pusher.js';
import { startRegistry } from '../src/demo/registry-process.js';
import { applyTrustPolicies } from '../src/crawl/trust-update.js';
import { generateSigningKey } from '../src/demo/samples-signing.js';
import { openIndex } from '../src/index/index.js';
import { RegistryClient } from '../src/registry/index.js';

const { values } = parseArgs({
  options: {
    repositories: { type: 'string', default: '40' },
    tags: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
    'signed-every': { type: 'string', default: '2' },
  },
});
const signedEvery = Number(values['signed-every']);
const repositories = Number(values.repositories);
const tagsPerRepository = Number(values.tags);
const concurrency = Number(values.concurrency);

const registry = await startRegistry();
const workDir = mkdtempSync(join(tmpdir(), 'ocidex-bench-'));
try {
  const pusher = new Pusher(registry.url);
  const pushStart = performance.now();
  const key = generateSigningKey();
  const sign = signedEvery > 0 ? { key: key.privateKey, every: signedEvery, registry: registry.host } : undefined;
  const { manifests, signed } = await pushBulkModels(pusher, { repositories, tagsPerRepository, concurrency: 8, sign });
  await pusher.close();
  const pushSeconds = ((performance.now() - pushStart) / 1000).toFixed(1);
  console.log(`registry ${registry.url}: pushed ${manifests} manifests (${signed} signed) in ${pushSeconds} s`);

  const index = openIndex(join(workDir, 'bench.db'));
  const policy = { name: 'bench', scope: ['**'], sigstore: { trustedRoot: null, identities: [], publicKeys: [key.publicKeyPem] }, notation: null };
  applyTrustPolicies(index, [policy]);
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
    console.log(`  referrers ${summary.counts.referrers}; documents verified ${index.countVerifiedDocuments()} of ${signed} signed`);
    if (summary.counts.manifestsNew > 0) {
      console.log(`  crawler CPU per new manifest ${((cpuSeconds * 1000) / summary.counts.manifestsNew).toFixed(2)} ms`);
    }
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
