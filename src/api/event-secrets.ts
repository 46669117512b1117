/**
 * Who may send registry notifications, per registry. A registry with `eventSecretEnv` accepts
 * only its own secret (read from that variable, under the operator's credential prefix); the
 * others accept the global OCIDEX_EVENT_SECRET. So the holder of one registry's secret cannot
 * speak for another registry. Secrets are compared in constant time (`tokensEqual`).
 */
import { credentialPolicyFromEnv, envNameProblem } from '../registry/credential-sources.js';
import { bearerToken, tokensEqual } from './auth.js';
import type { ApiConfig, RegistryConfigStore } from './deps.js';
import type { RegistryConfig } from '../domain/registry.js';
import { ApiError } from './errors.js';

/** The secret events of `registry` must carry, or undefined when none can be accepted. */
export function eventSecretOf(registry: RegistryConfig, config: ApiConfig): string | undefined {
  if (registry.eventSecretEnv === undefined) return config.eventSecret;
  const policy = config.credentialPolicy ?? credentialPolicyFromEnv(config.env);
  if (envNameProblem(registry.eventSecretEnv, policy) !== null) return undefined;
  const value = (config.env ?? process.env)[registry.eventSecretEnv];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The ids of the registries whose event secret the request's `Authorization: Bearer` carries:
 * 403 when no registry accepts events at all, 401 when the token opens none.
 */
export async function authenticatedRegistries(
  header: string | undefined,
  registries: RegistryConfigStore,
  config: ApiConfig,
): Promise<Set<string>> {
  const token = bearerToken(header);
  const opened = new Set<string>();
  let anySecret = config.eventSecret !== undefined;
  for (const registry of await registries.list()) {
    const secret = eventSecretOf(registry, config);
    if (secret === undefined) continue;
    anySecret = true;
    // Every secret is compared, matched or not, so the answer's timing tells nothing.
    if (token !== null && tokensEqual(token, secret)) opened.add(registry.id);
  }
  if (!anySecret) {
    const how = "set OCIDEX_EVENT_SECRET or a registry's eventSecretEnv";
    throw new ApiError('forbidden', `event endpoints are disabled: ${how}`);
  }
  if (opened.size === 0) throw new ApiError('unauthorized', 'this endpoint needs Authorization: Bearer <event secret>');
  return opened;
}
