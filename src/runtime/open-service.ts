/**
 * The start both modes of `ocidex serve` share: the config file read (a broken one fails before
 * anything is opened), the index opened with the file's registries and trust policies stored in
 * it, and the query worker pool over that index.
 */
import type { ApiConfig } from '../api/index.js';
import { applyTrustPolicies } from '../crawl/trust-update.js';
import { openIndex, type IndexStore } from '../store/index.js';
import { QueryPool, queryPoolSettingsFromEnv, type QueryPoolSettings, type SavedQuery } from '../query/index.js';
import { credentialPolicyFromEnv } from '../registry/credential-sources.js';
import { loadConfigFile } from './config-file.js';
import type { ServiceLogger } from './logger.js';
import { IndexRegistryStore } from './registry-store.js';

/** Options of `ocidex serve` in either mode. */
export interface BaseServiceOptions {
  /** The index file (created when missing). */
  db: string;
  /** The config file (`ocidex.yaml`); none: registries come from the index and the API only. */
  configPath?: string;
  port: number;
  host: string;
  api: ApiConfig;
  savedQueries?: SavedQuery[];
  logger?: ServiceLogger;
  /** Where credential variables are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Export Node.js process metrics too (default true). */
  processMetrics?: boolean;
  /** The query worker pool; default from OCIDEX_QUERY_WORKERS, OCIDEX_QUERY_QUEUE, OCIDEX_QUERY_PER_CLIENT. */
  queryPool?: QueryPoolSettings;
}

/** The query worker pool over the service's index (settings: `options.queryPool`, else the environment). */
export function openQueryPool(index: IndexStore, options: Pick<BaseServiceOptions, 'queryPool'>): QueryPool {
  return QueryPool.open(index.db, options.queryPool ?? queryPoolSettingsFromEnv(process.env));
}

/**
 * The config file read (a broken one fails before anything is opened), the index opened and the
 * file's registries stored in it: the start of both modes.
 */
export async function openServiceIndex(
  options: Pick<BaseServiceOptions, 'db' | 'configPath' | 'env'>,
  logger: ServiceLogger,
): Promise<{ index: IndexStore; registries: IndexRegistryStore }> {
  const policy = credentialPolicyFromEnv(options.env ?? process.env);
  const file = options.configPath === undefined ? null : await loadConfigFile(options.configPath, policy);
  const index = openIndex(options.db);
  try {
    const registries = new IndexRegistryStore(index);
    if (file !== null) {
      const { upserted, removed } = registries.syncFile(file.registries);
      logger.info('registries loaded', { file: file.path, upserted, removed });
    }
    if (file?.trust) {
      // A changed policy set re-verifies every stored signature before the API answers.
      const update = applyTrustPolicies(index, file.trust);
      logger.info('trust policies loaded', {
        policies: file.trust.length,
        changed: update.changed,
        reverified: update.subjects,
      });
    }
    return { index, registries };
  } catch (error) {
    index.close();
    throw error;
  }
}
