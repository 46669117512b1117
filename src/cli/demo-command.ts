/**
 * `ocidex demo`: a throwaway registry on loopback, the sample models pushed into it, a crawl into
 * the index, a recrawl (to show it fetches nothing), and three example queries; with `--serve`,
 * the catalog over that index until Ctrl-C.
 */
import { existsSync, rmSync } from 'node:fs';
import { crawlRegistry } from '../crawl/crawl-registry.js';
import { Pusher } from '../demo/pusher.js';
import { findRegistryBinary, startRegistry } from '../demo/registry-process.js';
import { pushSampleSet } from '../demo/sample-set.js';
import { generateSigningKey } from '../demo/samples-signing.js';
import { applyTrustPolicies } from '../crawl/trust-update.js';
import { openIndex, type IndexStore } from '../store/index.js';
import { QueryEngine } from '../query/index.js';
import { RegistryClient } from '../registry/index.js';
import { serveDemo } from './demo-serve.js';
import { formatSummary } from './summary-format.js';

export const DEMO_QUERIES = [
  {
    title: 'Apache-2.0 models with accuracy > 0.9',
    query: '$[?@.model.license == "Apache-2.0" && @.model.metrics.accuracy > 0.9].reference',
    options: {},
  },
  {
    title: 'the reference of the most accurate model',
    query: '$[?@.model.metrics.accuracy].reference',
    options: { sort: '@.model.metrics.accuracy', order: 'desc' as const, limit: 1 },
  },
  {
    title: 'models whose signature verified against the demo trust policy, and who signed them',
    query: '$[?@.verified == true]["reference", "signers"]',
    options: {},
  },
  {
    title: 'models a pod can mount as an image volume on containerd (Kubernetes image volumes)',
    query: '$[?@.kind == "model" && @.mount.imageVolume == true].reference',
    options: {},
  },
];

/** Runs the demo; resolves with the exit code. */
export async function runDemo(options: {
  db: string;
  keep?: boolean;
  serve?: boolean;
  port?: number;
}): Promise<number> {
  if (findRegistryBinary() === null) {
    process.stderr.write(
      "The demo needs a local OCI registry: install Debian's package (sudo apt-get install docker-registry).\n",
    );
    return 1;
  }
  if (!prepareDatabase(options.db)) return 1;
  const registry = await startRegistry();
  const log = (line: string): boolean => process.stdout.write(`${line}\n`);
  try {
    log(`Started a throwaway registry at ${registry.url}`);
    const pusher = new Pusher(registry.url);
    const key = generateSigningKey();
    const pushed = await pushSampleSet(pusher, { signingKey: key.privateKey });
    await pusher.close();
    log(`Pushed ${pushed.artifacts.length} sample artifacts (models/sentiment signed with a fresh cosign key)\n`);
    const index = openIndex(options.db);
    try {
      // What `trust:` in ocidex.yaml does: signatures by this key in this registry verify.
      const policy = {
        name: 'demo',
        scope: [`${registry.host}/**`],
        sigstore: { trustedRoot: null, identities: [], publicKeys: [key.publicKeyPem] },
        notation: null,
      };
      applyTrustPolicies(index, [policy]);
      log(`Trust policy 'demo': cosign key ${key.keyId}\n`);
      await crawlTwice(registry.host, index, log);
      runExampleQueries(index, log);
    } finally {
      index.close();
    }
    if (options.serve)
      return (await serveDemo({ db: options.db, port: options.port ?? 8080, registryUrl: registry.url }, log)) ? 0 : 1;
    if (options.keep) await waitForInterrupt(registry.url, log);
    return 0;
  } finally {
    await registry.stop();
  }
}

async function crawlTwice(host: string, index: IndexStore, log: (line: string) => void): Promise<void> {
  for (const label of ['Crawl', 'Recrawl (nothing changed)']) {
    const client = new RegistryClient({ registry: host });
    try {
      const summary = await crawlRegistry(client, index);
      const run = index.listRuns({ registry: client.registry, limit: 1 })[0];
      log(`${label}:\n${formatSummary(summary, run ? index.listErrors({ runId: run.id, limit: 5 }) : [])}\n`);
    } finally {
      await client.close();
    }
  }
}

function runExampleQueries(index: IndexStore, log: (line: string) => void): void {
  const engine = new QueryEngine(index.db);
  for (const example of DEMO_QUERIES) {
    const result = engine.query(example.query, example.options);
    const flags = Object.entries(example.options)
      .map(([key, value]) => ` --${key} ${value}`)
      .join('');
    // Single quotes: in double quotes a shell would expand `$[...]`.
    log(`# ${example.title}\n$ ocidex query '${example.query}'${flags}\n${JSON.stringify(result.items, null, 2)}\n`);
  }
}

/** The demo owns its database: it replaces one that only a demo (loopback registries) wrote. */
function prepareDatabase(path: string): boolean {
  if (!existsSync(path)) return true;
  const index = openIndex(path, { readonly: true });
  const names = (index.db.prepare('SELECT name FROM registries').all() as Array<{ name: string }>).map(
    (row) => row.name,
  );
  index.close();
  if (names.some((name) => !name.startsWith('127.0.0.1:') && !name.startsWith('localhost:'))) {
    process.stderr.write(`${path} holds a real index; pass --db with another file for the demo.\n`);
    return false;
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return true;
}

function waitForInterrupt(url: string, log: (line: string) => void): Promise<void> {
  log(`The registry stays up at ${url}; Ctrl-C to stop it.`);
  return new Promise((resolve) => process.once('SIGINT', () => resolve()));
}
