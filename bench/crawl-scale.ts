/**
 * Scale benchmark (`npm run bench:scale`), two parts on a real local `docker-registry` whose
 * filesystem storage is written directly by the fast bulk loader (src/demo/bulk-load.ts; pushing
 * 100,000 manifests over HTTP takes half an hour):
 * 1. `--repositories` x `--tags` omlmd manifests (default 2,000 x 50 = 100,000), crawled into a
 *    fresh index by a separate crawler process (crawl-scale-child.ts), then recrawled unchanged:
 *    manifests/s, requests per manifest, the recrawl's manifest and blob GETs (goal 0), CPU per
 *    manifest and the crawler's peak RSS (goal: under 300 MB).
 * 2. A catalog of `--catalog-repositories` repositories of one tag each (default 100,000), paged
 *    by the crawler without being held in memory (`--catalog-mode catalog`), or crawled whole
 *    (`crawl-once`): its peak RSS.
 * `--page-size` sends `n` on listings (default 1000, distribution's maximum: distribution 2.8
 * answers 100 names per catalog page without it, and walks its storage from the start for every
 * page, so 100,000 repositories would take it most of an hour). The registry's storage goes to
 * `--storage-root` (default /dev/shm: 100,000 manifests are about 2 million small files and
 * directories, which this machine's disk takes 20 minutes to delete).
 * A benchmark: nothing here is asserted.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBulkModels } from '../src/demo/bulk-load.js';
import { spawnCaptured } from '../src/demo/child-process.js';
import { startRegistry, type RunningRegistry } from '../src/demo/registry-process.js';

const CHILD = new URL('./crawl-scale-child.js', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    repositories: { type: 'string', default: '2000' },
    tags: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
    'catalog-repositories': { type: 'string', default: '100000' },
    'catalog-mode': { type: 'string', default: 'catalog' },
    'page-size': { type: 'string', default: '1000' },
    'storage-root': { type: 'string', default: existsSync('/dev/shm') ? '/dev/shm' : tmpdir() },
  },
});

interface RunLine {
  run: string;
  seconds: number;
  status?: string;
  counts?: { manifestsNew: number; repositories: number; repositoriesUnchanged: number; errors: number };
  repositories?: number;
  requests: number;
  byOperation: Record<string, number>;
  cpuSeconds: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
  sampledPeakRssMiB: number;
}

const workDir = mkdtempSync(join(tmpdir(), 'ocidex-scale-'));
const storageRoot = mkdtempSync(join(values['storage-root'] as string, 'ocidex-scale-storage-'));
const mib = (value: number) => value.toFixed(0);

/** Writes the bulk set into a fresh storage directory and starts a registry on it. */
async function loadedRegistry(name: string, repositories: number, tagsPerRepository: number): Promise<RunningRegistry> {
  const storageDir = join(storageRoot, name);
  const start = performance.now();
  const { manifests } = loadBulkModels(storageDir, { repositories, tagsPerRepository });
  const seconds = (performance.now() - start) / 1000;
  const rate = (manifests / seconds).toFixed(0);
  console.log(`loaded ${manifests} manifests in ${repositories} repositories in ${seconds.toFixed(0)} s (${rate}/s)`);
  return startRegistry({ storageDir });
}

/** Runs the crawler process in `mode` against `registry`; its JSON lines. */
async function runChild(registry: RunningRegistry, mode: string): Promise<RunLine[]> {
  const args = [CHILD, registry.host, join(workDir, `${mode}.db`), values.concurrency, mode, values['page-size']];
  const child = spawnCaptured(process.execPath, args);
  const { code } = await child.exited;
  const output = child.output().split('\n');
  const lines = output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as RunLine);
  if (code !== 0 || lines.length === 0) throw new Error(`crawler exited ${code}: ${child.output()}`);
  return lines;
}

function printCrawls(manifests: number, repositories: number, lines: RunLine[]): void {
  console.log(
    '\n| manifests | repositories | run | status | wall s | manifests/s | manifestsNew | unchanged repos | errors | ' +
      'requests/manifest | manifest+blob GETs | CPU ms/manifest | RSS before MiB | peak RSS MiB (sampled) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const line of lines) {
    const counts = line.counts;
    const gets = (line.byOperation['manifest.get'] ?? 0) + (line.byOperation['blob.get'] ?? 0);
    console.log(
      `| ${manifests} | ${repositories} | ${line.run} | ${line.status} | ${line.seconds.toFixed(1)} | ` +
        `${(manifests / line.seconds).toFixed(0)} | ${counts?.manifestsNew} | ${counts?.repositoriesUnchanged} | ` +
        `${counts?.errors} | ${(line.requests / manifests).toFixed(2)} | ${gets} | ` +
        `${((line.cpuSeconds * 1000) / manifests).toFixed(2)} | ${mib(line.rssBeforeMiB)} | ` +
        `${mib(line.peakRssMiB)} (${mib(line.sampledPeakRssMiB)}) |`,
    );
  }
  console.log(
    'requests by operation:',
    lines.map((line) => `${line.run} ${JSON.stringify(line.byOperation)}`).join('; '),
  );
}

async function crawlPart(repositories: number, tags: number): Promise<void> {
  const registry = await loadedRegistry('crawl-storage', repositories, tags);
  try {
    printCrawls(repositories * tags, repositories, await runChild(registry, 'crawl'));
    console.log('goal: under 300 MB peak RSS for 100,000 manifests; 0 manifest and blob GETs in the recrawl\n');
  } finally {
    await registry.stop();
    rmSync(join(storageRoot, 'crawl-storage'), { recursive: true, force: true });
  }
}

async function catalogPart(repositories: number, mode: string): Promise<void> {
  const registry = await loadedRegistry('catalog-storage', repositories, 1);
  try {
    const lines = await runChild(registry, mode);
    if (mode !== 'catalog') return printCrawls(repositories, repositories, lines);
    console.log(
      '\n| catalog repositories | names listed | catalog pages | wall s | names/s | CPU s | RSS before MiB | peak RSS MiB (sampled) |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const line of lines) {
      const names = line.repositories ?? 0;
      console.log(
        `| ${repositories} | ${names} | ${line.byOperation.catalog} | ${line.seconds.toFixed(1)} | ` +
          `${(names / line.seconds).toFixed(0)} | ${line.cpuSeconds.toFixed(1)} | ${mib(line.rssBeforeMiB)} | ` +
          `${mib(line.peakRssMiB)} (${mib(line.sampledPeakRssMiB)}) |`,
      );
    }
  } finally {
    await registry.stop();
  }
}

try {
  const repositories = Number(values.repositories);
  if (repositories > 0) await crawlPart(repositories, Number(values.tags));
  const catalogRepositories = Number(values['catalog-repositories']);
  if (catalogRepositories > 0) await catalogPart(catalogRepositories, values['catalog-mode'] as string);
} finally {
  rmSync(workDir, { recursive: true, force: true });
  rmSync(storageRoot, { recursive: true, force: true });
}
