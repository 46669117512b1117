/**
 * Named limits and defaults of the registry client. Every cap that protects memory or time lives
 * here so a reader can see them in one place.
 */

/** Manifests above this size are refused (FORMATS.md: "Manifests over 4 MiB: refuse"). */
export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Metadata blobs (configs) above this size are refused unless the caller asks for more. */
export const DEFAULT_MAX_BLOB_BYTES = 1024 * 1024;

/** Registry error bodies (`{"errors":[..]}`) are read up to this size, the rest is dropped. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Token endpoint replies are small JSON documents; anything larger is a misbehaving server. */
export const MAX_TOKEN_RESPONSE_BYTES = 256 * 1024;

/** Page cap for catalog, tags and referrers listings. */
export const DEFAULT_MAX_PAGES = 10_000;

/** Redirects followed per request (blob downloads redirect to object storage). */
export const MAX_REDIRECTS = 5;

/** Per-request timeout (headers and body). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Requests in flight to one registry. */
export const DEFAULT_CONCURRENCY = 8;

/** Keep idle pooled connections this long. */
export const KEEP_ALIVE_TIMEOUT_MS = 30_000;

/** A cached token is dropped this long before it expires. */
export const TOKEN_EXPIRY_MARGIN_MS = 10_000;

/** Tokens live at least this long (FORMATS.md: `expires_in` defaults to 60 s, floor it at 60). */
export const MIN_TOKEN_LIFETIME_SECONDS = 60;

/** A credential helper that does not answer in this time is treated as absent. */
export const CREDENTIAL_HELPER_TIMEOUT_MS = 10_000;

/** Sent as `User-Agent` on every request. */
export const USER_AGENT = 'ocidex/0.1.0';

/** One page of a catalog, tag or referrers listing. */
export const MAX_LISTING_PAGE_BYTES = 16 * 1024 * 1024;
