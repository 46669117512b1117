/** The OCI registry client: see client.ts; layers in transport, retry, auth, redirect. */
export { RegistryClient, type RegistryClientOptions } from './client.js';
export type { Credentials } from './credentials.js';
export { loadDockerCredentials, defaultDockerConfigPath } from './docker-config.js';
export { parseReference, type ParsedReference } from './reference.js';
export { resolveBaseUrl, canonicalRegistry } from './scheme.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
export type { Operation, RequestStats } from './stats.js';
export type { RequestRateLimiter } from './throttle.js';
export type { ResolvedManifest } from './manifests.js';
export { computeDigest, referrersTag } from './digest.js';
export { truncateText } from './redact.js';
export { EgressGuard, egressPolicyFromEnv, type EgressPolicy } from './egress.js';
export { credentialPolicyFromEnv, type CredentialPolicy } from './credential-sources.js';
export {
  DEFAULT_MAX_BLOB_BYTES,
  DEFAULT_MAX_MANIFEST_BYTES,
  DEFAULT_MAX_PAGES,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_CONCURRENCY,
} from './limits.js';
export type {
  BlobFetcher,
  ManifestFetcher,
  ManifestResolver,
  ReferrerLister,
  ReferrersOptions,
  RepositoryLister,
  TagLister,
} from './interfaces.js';
