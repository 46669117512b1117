/**
 * `ocidex verify --config ocidex.yaml`: puts the file's trust policies in force and re-verifies
 * every stored signature from stored material (no registry request), then prints the tally.
 */
import { applyTrustPolicies } from '../crawl/trust-update.js';
import { OcidexError } from '../domain/errors.js';
import type { TrustPolicy } from '../domain/trust.js';
import { openIndex } from '../store/index.js';
import { loadConfigFile } from '../runtime/config-file.js';

/** The trust policies of a config file; one without a `trust:` section has none. */
export async function loadTrust(path: string): Promise<TrustPolicy[]> {
  return (await loadConfigFile(path)).trust ?? [];
}

/** Runs the command; resolves with the exit code. */
export async function runVerify(options: { config?: string; db: string; json?: boolean }): Promise<number> {
  if (options.config === undefined)
    throw new OcidexError('invalid_argument', 'ocidex verify needs --config (the file with the trust policies)');
  const policies = await loadTrust(options.config);
  const index = openIndex(options.db);
  try {
    const update = applyTrustPolicies(index, policies, true);
    const verified = index.countVerifiedDocuments();
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ policies: policies.length, ...update, documentsVerified: verified }, null, 2)}\n`,
      );
    } else {
      const statuses = Object.entries(update.statuses)
        .sort()
        .map(([status, count]) => `${status} ${count}`)
        .join(', ');
      process.stdout.write(`policies      ${policies.length}${update.changed ? ' (changed)' : ''}\n`);
      process.stdout.write(`subjects      ${update.subjects}\n`);
      process.stdout.write(`signatures    ${statuses === '' ? 'none' : statuses}\n`);
      process.stdout.write(`verified docs ${verified}\n`);
    }
    return 0;
  } finally {
    index.close();
  }
}
