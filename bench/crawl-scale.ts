/**
 * Scale benchmark (`npm run bench:scale`): a real local registry (in-memory storage) holding
 * `--repositories` x `--tags` omlmd manifests pushed by the bulk pusher (default 2,000 x 50 =
 * 100,000), crawled into a fresh index by a separate crawler process (crawl-scale-child.ts),
 * then recrawled unchanged. The catalog is paged (`n` per page) and streamed: the crawler never
 * holds the repository list. Prints the push rate, then per run manifests/s, requests, CPU ms
 * per manifest and the crawler's peak RSS (the goal: under 300 MB for 100k manifests).
 * A benchmark: nothing here is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pushBulkModels } from '../src/demo/bulk.js';
import { spawnCaptured } from '../src/demo/child-process.js';
import { Pusher } from '../src/demo/pusher.js';
import { startRegistry } from '../src/demo/registry-process.js';

const CHILD = new URL('./crawl-scale-child.js', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    repositories: { type: 'string', default: '2000' },
    tags: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
    'push-concurrency': { type: 'string', default: '16' },
  },
});
const repositories = Number(values.repositories);
const tagsPerRepository = Number(values.tags);

interface RunLine {
  run: string;
  seconds: number;
  status: string;
  counts: { manifestsNew: number; repositories: number; repositoriesUnchanged: number; errors: number };
  requests: number;
  cpuSeconds: number;
  peakRssMiB: number;
  sampledPeakRssMiB: number;
  documents: number;
}

const workDir = mkdtempSync(join(tmpdir(), 'ocidex-scale-'));
const registry = await startRegistry({ storage: 'inmemory' });
try {
  const pusher = new Pusher(registry.url);
  const pushStart = performance.now();
  const concurrency = Number(values['push-concurrency']);
  const { manifests } = await pushBulkModels(pusher, { repositories, tagsPerRepository, concurrency }).finally(() =>
    pusher.close(),
  );
  const pushSeconds = (performance.now() - pushStart) / 1000;
  console.log(
    `registry ${registry.url}: pushed ${manifests} manifests in ${repositories} repositories in ${pushSeconds.toFixed(0)} s (${(manifests / pushSeconds).toFixed(0)}/s)`,
  );
  const child = spawnCaptured(process.execPath, [CHILD, registry.host, join(workDir, 'scale.db'), values.concurrency]);
  const { code } = await child.exited;
  const lines = child
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RunLine);
  if (code !== 0 || lines.length === 0) throw new Error(`crawler exited ${code}: ${child.output()}`);
  console.log(
    '\n| manifests | repositories | run | status | wall s | manifests/s | manifestsNew | unchanged repos | errors | requests/manifest | CPU ms/manifest | peak RSS MiB (sampled) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const line of lines) {
    console.log(
      `| ${manifests} | ${repositories} | ${line.run} | ${line.status} | ${line.seconds.toFixed(1)} | ${(manifests / line.seconds).toFixed(0)} | ` +
        `${line.counts.manifestsNew} | ${line.counts.repositoriesUnchanged} | ${line.counts.errors} | ${(line.requests / manifests).toFixed(2)} | ` +
        `${((line.cpuSeconds * 1000) / manifests).toFixed(2)} | ${line.peakRssMiB.toFixed(0)} (${line.sampledPeakRssMiB.toFixed(0)}) |`,
    );
  }
  console.log('\ngoal: a 100,000-manifest crawl under 300 MB RSS (the peak after the recrawl covers both runs)');
} finally {
  await registry.stop();
  rmSync(workDir, { recursive: true, force: true });
}
