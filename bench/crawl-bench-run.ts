/**
 * One path of the crawl benchmark (loopback, or through the latency proxy): a fresh index with
 * a trust policy holding the signing key, a first crawl, an unchanged recrawl and a first crawl
 * into a second fresh index by the now warm process, each printed and returned as a table row: rate next to its bound, requests per manifest, GETs,
 * connections opened, TLS handshakes, crawler CPU per new manifest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { crawlRegistry } from '../src/crawl/crawl-registry.js';
import { applyTrustPolicies } from '../src/crawl/trust-update.js';
import { requestsPerManifest } from '../src/domain/crawl.js';
import { type IndexStore, openIndex } from '../src/store/index.js';
import { RegistryClient } from '../src/registry/index.js';
import { profiled } from './crawl-profile.js';
import type { LatencyProxy } from './latency-proxy.js';
import { type CpuSplit, cpuMark, cpuSince } from './thread-cpu.js';

export interface Target {
  label: string;
  url: string;
  host: string;
  proxy?: LatencyProxy;
  /** The proxy's self-signed certificate, trusted by the crawler's connections. */
  ca?: string;
}

/** A load generator's GETs per second on the registry, and its CPU per GET (ms). */
interface RawRates {
  manifest: number;
  blob: number;
  manifestCpuMs: number;
  blobCpuMs: number;
}

interface RunOptions {
  concurrency: number;
  key: string;
  signed: number;
  /** Median round trip, ms. */
  rtt: number;
  /** Measures the raw manifest-GET and blob-GET rates of this path (a load generator's), GETs/s. */
  raw: () => Promise<RawRates>;
  opened: { count: number };
  /** Where to write a CPU profile of the first crawl, if anywhere. */
  profile?: string;
}

/**
 * Crawls `target` into a fresh index, then again; then into a second fresh index in the same
 * (now warm) process: the cost per new manifest of a long-running worker, without the
 * one-time compiling of the first crawl. One row per crawl.
 */
export async function crawlTwice(target: Target, options: RunOptions): Promise<string[][]> {
  const workDir = mkdtempSync(join(tmpdir(), 'ocidex-bench-'));
  const policy = {
    name: 'bench',
    scope: ['**'],
    sigstore: { trustedRoot: null, identities: [], publicKeys: [options.key] },
    notation: null,
  };
  const indexes = [openIndex(join(workDir, 'bench.db')), openIndex(join(workDir, 'warm.db'))] as const;
  for (const index of indexes) applyTrustPolicies(index, [policy]);
  const steps = [
    { label: 'first crawl', index: indexes[0] },
    { label: 'recrawl', index: indexes[0] },
    { label: 'first crawl, warm process', index: indexes[1] },
  ];
  const rows: string[][] = [];
  try {
    for (const { label, index } of steps) rows.push(await crawlOnce(target, label, index, options));
  } finally {
    for (const index of indexes) index.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  return rows;
}

/** One crawl of `target` into `index`, measured; its table row. */
async function crawlOnce(target: Target, label: string, index: IndexStore, options: RunOptions): Promise<string[]> {
  // The TLS path needs the proxy's certificate trusted: an Agent of the bench's (no egress policy).
  const dispatcher = target.ca
    ? new Agent({ connections: options.concurrency, connect: { ca: target.ca } })
    : undefined;
  const client = new RegistryClient({
    registry: target.url,
    concurrency: options.concurrency,
    dispatcher,
    dockerConfigPath: null,
  });
  const rawBefore = await options.raw();
  target.proxy?.resetCounts();
  const openedBefore = options.opened.count;
  const cpuBefore = cpuMark();
  const crawl = () => crawlRegistry(client, index, { limits: { manifestConcurrency: options.concurrency } });
  const summary = await profiled(label === 'first crawl' ? options.profile : undefined, crawl);
  const cpu = cpuSince(cpuBefore);
  await client.close();
  await dispatcher?.close();
  const connections = options.opened.count - openedBefore;
  // The proxy's counts of the crawl alone: the load generator's burst after it opens connections too.
  const proxied = target.proxy ? { accepted: target.proxy.connections, handshakes: target.proxy.handshakes } : null;
  const rawAfter = await options.raw();
  console.log(
    `  raw GETs/s before and after: manifests ${rawBefore.manifest.toFixed(0)}, ${rawAfter.manifest.toFixed(0)}; ` +
      `blobs ${rawBefore.blob.toFixed(0)}, ${rawAfter.blob.toFixed(0)}`,
  );
  const raw = meanRates(rawBefore, rawAfter);
  const row = report(target, label, summary, { ...options, raw, cpu, connections, proxied });
  console.log(
    `  referrers ${summary.counts.referrers}; documents verified ${index.countVerifiedDocuments()} of ${options.signed} signed`,
  );
  return row;
}

type Summary = Awaited<ReturnType<typeof crawlRegistry>>;

function report(
  target: Target,
  label: string,
  summary: Summary,
  figures: Omit<RunOptions, 'raw'> & {
    raw: RawRates;
    cpu: CpuSplit;
    connections: number;
    /** Connections the proxy accepted and TLS handshakes it completed during the crawl. */
    proxied: { accepted: number; handshakes: number } | null;
  },
): string[] {
  const seconds = summary.durationMs / 1000;
  const { counts, requests } = summary;
  const rate = (counts.manifestsNew + counts.manifestsUnchanged) / seconds;
  const perManifest = requestsPerManifest(summary);
  const bound = target.proxy
    ? figures.concurrency / (figures.rtt / 1000) / perManifest
    : figures.raw.manifest / perManifest;
  const mixBound = target.proxy ? undefined : requestMixBound(summary, figures.raw);
  const gets = (requests.byOperation['manifest.get'] ?? 0) + (requests.byOperation['blob.get'] ?? 0);
  const perNew = (seconds: number) => ((seconds * 1000) / counts.manifestsNew).toFixed(2);
  const { totalSeconds, mainSeconds } = figures.cpu;
  const mainPart = mainSeconds === null ? '' : ` (main thread ${perNew(mainSeconds)})`;
  const cpuPerManifest = counts.manifestsNew > 0 ? `${perNew(totalSeconds)}${mainPart}` : '-';
  const floor = counts.manifestsNew > 0 ? perNew(httpFloorSeconds(summary, figures.raw)) : '-';
  const mainCpu =
    mainSeconds === null
      ? ''
      : ` (main thread ${mainSeconds.toFixed(2)} s, other threads ${(totalSeconds - mainSeconds).toFixed(2)} s)`;
  const handshakes = target.ca ? String(figures.proxied?.handshakes ?? 0) : '-';
  console.log(
    `${label}: ${summary.status}, ${seconds.toFixed(2)} s, errors ${summary.counts.errors}, ` +
      `new ${counts.manifestsNew}, unchanged ${counts.manifestsUnchanged}`,
  );
  console.log(`  requests ${requests.total}: ${JSON.stringify(requests.byOperation)}`);
  console.log(
    `  connections opened ${figures.connections}${figures.proxied ? ` (proxy accepted ${figures.proxied.accepted})` : ''}, ` +
      `crawler CPU ${totalSeconds.toFixed(2)} s${mainCpu}`,
  );
  return [
    target.label,
    label,
    rate.toFixed(0),
    bound.toFixed(0),
    (rate / bound).toFixed(2),
    mixBound === undefined ? '-' : mixBound.toFixed(0),
    mixBound === undefined ? '-' : (rate / mixBound).toFixed(2),
    mixBound === undefined ? '-' : (mixBound / bound).toFixed(2),
    perManifest.toFixed(2),
    String(gets),
    String(figures.connections),
    handshakes,
    cpuPerManifest,
    floor,
  ];
}

/** The mean of two measurements, figure by figure. */
function meanRates(a: RawRates, b: RawRates): RawRates {
  const mean = (key: keyof RawRates): number => (a[key] + b[key]) / 2;
  return {
    manifest: mean('manifest'),
    blob: mean('blob'),
    manifestCpuMs: mean('manifestCpuMs'),
    blobCpuMs: mean('blobCpuMs'),
  };
}

/**
 * The crawl's requests weighed by kind, as the load generator measured them: `perBlobGet` for
 * each blob GET, `perOther` for every other request (a manifest GET's figure).
 */
function weighRequests(summary: Summary, perBlobGet: number, perOther: number): number {
  const blobGets = summary.requests.byOperation['blob.get'] ?? 0;
  return blobGets * perBlobGet + (summary.requests.total - blobGets) * perOther;
}

/**
 * Manifests per second the registry could serve if the crawl cost nothing: the time its blob
 * GETs take at the raw blob rate plus the time every other request takes at the raw manifest rate.
 */
function requestMixBound(summary: Summary, raw: RawRates): number {
  const manifests = summary.counts.manifestsNew + summary.counts.manifestsUnchanged;
  return manifests / weighRequests(summary, 1 / raw.blob, 1 / raw.manifest);
}

/**
 * What the crawl's requests alone would cost undici's `request()` doing nothing else (the load
 * generator, measured on this path). CPU seconds for the whole crawl.
 */
function httpFloorSeconds(summary: Summary, raw: RawRates): number {
  return weighRequests(summary, raw.blobCpuMs, raw.manifestCpuMs) / 1000;
}
