/**
 * The registry's own speed, measured the way a load generator would, to set the crawl's figures
 * against: bursts of concurrent manifest GETs, and of blob GETs, over kept-alive connections
 * (req/s; distribution 2.8 serves a blob several times slower than a manifest), and the round
 * trip of one small request on an open connection (ms). For the crawl benchmark only.
 */
import { type Agent, request } from 'undici';

const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

/** A burst's rate and what it cost the generator: CPU of its process per GET, every thread. */
export interface RawBurst {
  perSecond: number;
  cpuMsPerGet: number;
}

/**
 * `count` GETs of `paths` (manifests or blobs, round robin), `concurrency` at a time: GETs per
 * second, and the generator's CPU per GET (undici's `request()` and nothing else).
 */
export async function rawManifestRate(
  origin: string,
  paths: readonly string[],
  options: { count: number; concurrency: number; dispatcher: Agent },
): Promise<RawBurst> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const path = paths[next++ % paths.length]!;
      const { statusCode, body } = await request(`${origin}${path}`, {
        headers: { accept: ACCEPT },
        dispatcher: options.dispatcher,
      });
      await body.dump();
      if (statusCode !== 200) throw new Error(`GET ${path}: ${statusCode}`);
    }
  };
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: options.count / seconds, cpuMsPerGet: (used.user + used.system) / 1000 / options.count };
}

/** Median round trip of `GET /v2/` on one kept-alive connection, ms. */
export async function roundTripMs(origin: string, dispatcher: Agent, samples = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= samples; i += 1) {
    const start = performance.now();
    const { body } = await request(`${origin}/v2/`, { dispatcher });
    await body.dump();
    if (i > 0) times.push(performance.now() - start); // the first one opens the connection
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** The config blob of each manifest at `manifestPaths`, as blob paths (for a blob GET burst). */
export async function configBlobPaths(
  origin: string,
  manifestPaths: readonly string[],
  dispatcher: Agent,
): Promise<string[]> {
  const blobs: string[] = [];
  for (const path of manifestPaths) {
    const { body } = await request(`${origin}${path}`, { headers: { accept: ACCEPT }, dispatcher });
    const manifest = (await body.json()) as { config?: { digest?: string } };
    const name = path.slice('/v2/'.length, path.lastIndexOf('/manifests/'));
    if (manifest.config?.digest) blobs.push(`/v2/${name}/blobs/${manifest.config.digest}`);
  }
  return blobs;
}
