/** `ocidex crawl`: a registry, some repositories, or exact references. */
import { crawlRegistry } from '../crawl/crawl-registry.js';
import { crawlReferences } from '../crawl/refs-crawl.js';
import { OcidexError } from '../domain/errors.js';
import { openIndex, type IndexStore } from '../store/index.js';
import { loadTrust } from './verify-command.js';
import { applyTrustPolicies } from '../crawl/trust-update.js';
import { parseReference, RegistryClient, type Credentials } from '../registry/index.js';
import { readCredentials } from './credentials.js';
import { createProgressReporter } from './progress.js';
import { failInterruptedRuns, runOwnerAlive } from '../runtime/interrupted-runs.js';
import { silentLogger } from '../runtime/logger.js';
import { formatSummary } from './summary-format.js';
import { splitTarget } from './target.js';

export interface CrawlCommandOptions {
  repo?: string[];
  include?: string[];
  exclude?: string[];
  refs?: string[];
  json?: boolean;
  db: string;
  /** ocidex.yaml: its trust policies are put in force before the crawl. */
  config?: string;
  plainHttp?: boolean;
  username?: string;
  passwordStdin?: boolean;
  concurrency: number;
  rps?: number;
  progress: boolean;
}

/**
 * SIGINT / SIGTERM abort the crawl, which records its run as failed (`aborted`) and prints its
 * summary; a second signal exits at once. `stop` removes the handlers.
 */
function abortOnSignals(): { signal: AbortSignal; interrupted: () => NodeJS.Signals | null; stop: () => void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const handler = (signal: NodeJS.Signals): void => {
    if (received !== null) process.exit(signal === 'SIGINT' ? 130 : 143);
    received = signal;
    process.stderr.write(`ocidex crawl: ${signal}, stopping (again to quit at once)\n`);
    controller.abort(new OcidexError('aborted', `interrupted by ${signal}`));
  };
  process.on('SIGINT', handler).on('SIGTERM', handler);
  const stop = (): void => void process.off('SIGINT', handler).off('SIGTERM', handler);
  return { signal: controller.signal, interrupted: () => received, stop };
}

/**
 * Runs the command; resolves with the exit code (1: the registry failed as a whole, 2: usage,
 * 130/143: interrupted).
 */
export async function runCrawl(target: string | undefined, options: CrawlCommandOptions): Promise<number> {
  const credentials = await readCredentials(options);
  if (options.refs?.length) return crawlRefs(options.refs, options, credentials);
  if (target === undefined) {
    process.stderr.write('ocidex crawl: give a registry (e.g. localhost:5000) or --refs REF...\n');
    return 2;
  }
  const { registry, repository } = splitTarget(target);
  const repositories = [...(repository ? [repository] : []), ...(options.repo ?? [])];
  const client = new RegistryClient({
    registry,
    plainHttp: options.plainHttp,
    credentials,
    concurrency: options.concurrency,
    requestsPerSecond: options.rps,
  });
  const index = await openWithTrust(options);
  const signals = abortOnSignals();
  try {
    // Runs an earlier crawl left running when it died (or could not record its end) are closed now.
    await failInterruptedRuns(index, runOwnerAlive, silentLogger);
    const reporter = createProgressReporter(process.stderr, options.progress && !options.json);
    const summary = await crawlRegistry(client, index, {
      repositories,
      include: options.include,
      exclude: options.exclude,
      onRepository: (p) => reporter.update(p),
      signal: signals.signal,
    });
    reporter.stop();
    const run = index.listRuns({ registry: client.registry, limit: 1 })[0];
    const errors = run ? index.listErrors({ runId: run.id, limit: 10 }) : [];
    process.stdout.write(
      options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary, errors)}\n`,
    );
    const interrupted = signals.interrupted();
    if (interrupted !== null) return interrupted === 'SIGINT' ? 130 : 143;
    return summary.status === 'failed' ? 1 : 0;
  } finally {
    signals.stop();
    index.close();
    await client.close();
  }
}

async function crawlRefs(
  refs: string[],
  options: CrawlCommandOptions,
  credentials: Credentials | undefined,
): Promise<number> {
  const clients = new Map<string, RegistryClient>();
  const clientFor = (registry: string): RegistryClient => {
    let client = clients.get(registry);
    if (!client) {
      client = new RegistryClient({
        registry,
        plainHttp: options.plainHttp,
        credentials,
        concurrency: options.concurrency,
      });
      clients.set(registry, client);
    }
    return client;
  };
  const index = await openWithTrust(options);
  try {
    const outcomes = await crawlReferences(refs, { parse: parseReference, clientFor, index });
    for (const outcome of outcomes) {
      if (outcome.error)
        process.stderr.write(`${outcome.reference}: ${outcome.error.code}: ${outcome.error.message}\n`);
    }
    const found = outcomes.filter((outcome) => outcome.document !== null);
    const output = options.json
      ? found.map((outcome) => ({ reference: outcome.reference, config: outcome.document?.config ?? null }))
      : found.map((outcome) => outcome.document);
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return found.length === outcomes.length ? 0 : 1;
  } finally {
    index.close();
    await Promise.all([...clients.values()].map((client) => client.close()));
  }
}

/** The index, with the trust policies of `--config` in force (a broken config fails first). */
async function openWithTrust(options: CrawlCommandOptions): Promise<IndexStore> {
  const policies = options.config === undefined ? null : await loadTrust(options.config);
  const index = openIndex(options.db);
  try {
    if (policies !== null) applyTrustPolicies(index, policies);
    return index;
  } catch (error) {
    index.close();
    throw error;
  }
}
