/**
 * Crawl benchmark (`npm run bench:crawl`): a real local registry holding >= 2,000 manifests, every
 * `--signed-every`-th signed with a cosign key (an OCI 1.1 referrer in the tag-schema fallback),
 * crawled into a fresh index with a trust policy holding that key (signatures fetched and
 * verified), then recrawled unchanged. Direct on loopback, then (`--rtt <ms>`) through a proxy
 * delaying each direction by that much, and (`--tls`) through the same proxy terminating TLS.
 * Prints rates next to their bounds, requests per manifest, connections and TLS handshakes,
 * CPU per manifest and peak RSS. A benchmark: nothing here is asserted.
 */
import { subscribe } from 'node:diagnostics_channel';
import { parseArgs } from 'node:util';
import { Agent } from 'undici';
import { pushBulkModels } from '../src/demo/bulk.js';
import { Pusher } from '../src/demo/pusher.js';
import { startRegistry } from '../src/demo/registry-process.js';
import { generateSigningKey } from '../src/demo/samples-signing.js';
import { crawlTwice, type Target } from './crawl-bench-run.js';
import { startLatencyProxy } from './latency-proxy.js';
import { configBlobPaths, rawManifestRate, roundTripMs } from './raw-rate.js';
import { selfSignedLoopbackCertificate } from './self-signed.js';

const { values } = parseArgs({
  options: {
    repositories: { type: 'string', default: '40' },
    tags: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
    'signed-every': { type: 'string', default: '2' },
    /** Delay added in each direction by the proxy, ms; 0: no proxied runs. */
    rtt: { type: 'string', default: '0' },
    tls: { type: 'boolean', default: false },
    /** Write a CPU profile of the loopback first crawl to this file. */
    profile: { type: 'string' },
  },
});
const signedEvery = Number(values['signed-every']);
const concurrency = Number(values.concurrency);
const delayMs = Number(values.rtt);

/** Paths of pushed manifests by tag (bulk.ts names them), for the raw GET burst. */
function manifestPaths(repositories: number, tags: number): string[] {
  const names = Array.from({ length: repositories }, (_, r) => `bulk/model-${String(r + 1).padStart(4, '0')}`);
  return names.flatMap((name) => Array.from({ length: tags }, (_, t) => `/v2/${name}/manifests/v${t + 1}`));
}

/** Connections undici opened in this process (the crawler's and the load generator's). */
const opened = { count: 0 };
subscribe('undici:client:connected', () => {
  opened.count += 1;
});

const registry = await startRegistry();
try {
  const pusher = new Pusher(registry.url);
  const pushStart = performance.now();
  const key = generateSigningKey();
  const sign = signedEvery > 0 ? { key: key.privateKey, every: signedEvery, registry: registry.host } : undefined;
  const repositories = Number(values.repositories);
  const tagsPerRepository = Number(values.tags);
  const { manifests, signed } = await pushBulkModels(pusher, { repositories, tagsPerRepository, concurrency: 8, sign });
  await pusher.close();
  const pushSeconds = ((performance.now() - pushStart) / 1000).toFixed(1);
  console.log(`registry ${registry.url}: pushed ${manifests} manifests (${signed} signed) in ${pushSeconds} s`);
  const paths = manifestPaths(Math.min(repositories, 40), Math.min(tagsPerRepository, 25));
  const [registryHost, registryPort] = registry.host.split(':') as [string, string];
  const targets: Target[] = [{ label: 'loopback', url: registry.url, host: registry.host }];
  const certificate = values.tls ? selfSignedLoopbackCertificate() : undefined;
  const proxies = [];
  if (delayMs > 0) proxies.push({ label: `+${delayMs} ms each way`, tls: undefined });
  if (certificate) proxies.push({ label: `TLS +${delayMs} ms each way`, tls: certificate });
  for (const proxied of proxies) {
    const proxy = await startLatencyProxy({
      target: { host: registryHost, port: Number(registryPort) },
      delayMs,
      tls: proxied.tls,
    });
    const scheme = proxied.tls ? 'https' : 'http';
    targets.push({
      label: proxied.label,
      url: `${scheme}://127.0.0.1:${proxy.port}`,
      host: `127.0.0.1:${proxy.port}`,
      proxy,
      ca: proxied.tls?.cert,
    });
  }
  const rows: string[][] = [];
  const blobAgent = new Agent({ connections: concurrency });
  const blobs = await configBlobPaths(registry.url, paths.slice(0, 500), blobAgent);
  await blobAgent.close();
  for (const target of targets) {
    const agent = new Agent({ connections: concurrency, connect: target.ca ? { ca: target.ca } : {} });
    const rtt = await roundTripMs(target.url, agent);
    // The load generator's rate, measured right before and right after each crawl (the machine's
    // load from other work moves it): the bound uses their mean.
    const raw = async () => {
      const manifest = await rawManifestRate(target.url, paths, {
        count: Math.min(2000, paths.length * 4),
        concurrency,
        dispatcher: agent,
      });
      const blob = await rawManifestRate(target.url, blobs, {
        count: Math.min(1000, blobs.length * 2),
        concurrency,
        dispatcher: agent,
      });
      return {
        manifest: manifest.perSecond,
        blob: blob.perSecond,
        manifestCpuMs: manifest.cpuMsPerGet,
        blobCpuMs: blob.cpuMsPerGet,
      };
    };
    console.log(`\n== ${target.label} (${target.url}): round trip ${rtt.toFixed(2)} ms, concurrency ${concurrency}`);
    const profile = target.proxy ? undefined : values.profile;
    rows.push(...(await crawlTwice(target, { concurrency, key: key.publicKeyPem, signed, rtt, raw, opened, profile })));
    await agent.close();
    await target.proxy?.close();
  }
  console.log(
    '\n| path | run | manifests/s | bound | ratio | bound (request mix) | ratio (mix) | ratio ceiling | requests/manifest | manifest+blob GETs | connections | TLS handshakes | CPU ms/new manifest | HTTP floor ms/new manifest |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(
    '\nbound: loopback = raw manifest GETs/s (a load generator on the same registry, the mean of right before and ' +
      "right after the crawl) ÷ requests per manifest (the issue's definition); bound (request mix): the same generator's " +
      "manifest and blob GET rates weighted by the crawl's own mix of requests (a blob GET costs the registry more); proxied = concurrency ÷ round trip ÷ requests per manifest. " +
      "Requests per manifest are the crawl's own, the minimum for this corpus: a manifest and its config, for a signed " +
      'one its fallback index, signature manifest and signature payload (verification needs them), a tag list per repository. ' +
      "ratio ceiling: bound (request mix) ÷ bound, the issue's ratio a crawler costing nothing would reach on this registry",
  );
  console.log(
    'CPU ms/new manifest: the crawler process, every thread (process.cpuUsage); in parentheses its main thread ' +
      "(/proc/thread-self). The rest is mostly V8's optimizing compiler, working once per process on the code a " +
      "crawl makes hot: a longer crawl spreads it thinner, and the row 'first crawl, warm process' (the same registry " +
      'into a second fresh index, after the recrawl) shows the cost of a long-running worker without it. ' +
      "HTTP floor: the load generator's own CPU per manifest GET and per blob GET (undici's request() and nothing else, measured with the raw " +
      "rates), times the crawl's requests of each kind, per new manifest: what the requests alone cost a client on this machine",
  );
  console.log(
    `goals: ratio ≥ 0.8; a recrawl opens ≤ ${concurrency} connections; ≤ 1 ms CPU per new manifest; recrawl 0 GETs`,
  );
  console.log(`peak RSS of the crawler process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  await registry.stop();
}
