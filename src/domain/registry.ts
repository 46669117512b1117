/**
 * Contracts every part of ocidex shares about the registries it crawls: a registry's
 * configuration, a change to it, what started a crawl and a push notification. Plain JSON, so
 * the API, embedded mode, the queue's job payloads and the config file all speak the same types
 * without importing one another.
 */

/** A registry ocidex crawls. Credentials are environment-variable NAMES, never secrets. */
export interface RegistryConfig {
  /** Slug: lower-case letters, digits and hyphens; the registry's name in the API. */
  id: string;
  /** `host[:port]` or `http(s)://host[:port]` (no path, no userinfo). */
  url: string;
  plainHttp?: boolean;
  credentials?: {
    /** Name of the variable holding the user name. */
    usernameEnv?: string;
    /** Name of the variable holding the password or token (must start with the operator's prefix). */
    passwordEnv?: string;
    /** Instead of passwordEnv: a file holding it, relative to the operator's secrets directory. */
    passwordFile?: string;
    /** Use the Docker config (`~/.docker/config.json`, credential helpers). */
    dockerConfig?: boolean;
  };
  /** Crawl exactly these repositories instead of the catalog. */
  repositories?: string[];
  /** Repository globs (picomatch) to include / exclude. */
  include?: string[];
  exclude?: string[];
  /** Cron expression of scheduled crawls; null or absent: none. */
  schedule?: string | null;
  /** Requests in flight to the registry. */
  concurrency?: number;
  /** Requests per second to the registry. */
  rateLimit?: number;
  /**
   * Name of the variable holding this registry's event secret (same prefix rule as credentials);
   * absent: the global OCIDEX_EVENT_SECRET.
   */
  eventSecretEnv?: string;
}

/**
 * A change to a registry, as JSON merge patch (RFC 7396): a field given replaces the stored one,
 * `null` removes it (for `schedule`: no schedule), an absent field is kept. `id` cannot change.
 */
export type RegistryPatch = { [K in Exclude<keyof RegistryConfig, 'id'>]?: RegistryConfig[K] | null };

/** What started a crawl. */
export type CrawlTrigger = 'api' | 'schedule' | 'event';

/** A manifest pushed to or deleted from a registry, as a notification told it. */
export interface PushEvent {
  /** The configured registry's id (see events.ts for how it is found). */
  registry: string;
  repository: string;
  digest: string;
  /** The tag pushed, when the notification names one. */
  tag: string | null;
  /** The manifest media type, when the notification gives it (deletes usually do not). */
  mediaType: string | null;
}
