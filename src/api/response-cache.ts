/**
 * Whole query responses (`/v1/models`, `/v1/facets`) kept as their JSON text per request URL, valid
 * for one version of the index: the catalog's landing page asks the same first page and facets on
 * every visit, and a crawl changes the index rarely compared to that. A response is stored under
 * the version read *before* it was computed, so an answer that raced a write is only ever served
 * while that older version stands, never after. Requests for a key already being computed at the
 * same version wait for it instead of computing it again (one computation per key and version).
 */
import { isOcidexError } from '../domain/errors.js';

/** The index's data version: any committed write changes it; null: unknown (nothing is cached). */
export type IndexVersion = () => string | null;

/** Limits of a ResponseCache. */
export interface ResponseCacheLimits {
  /** Responses kept at most. */
  maxEntries: number;
  /** Bytes (UTF-16 code units) of all kept responses at most. */
  maxBytes: number;
  /** A response larger than this is answered but not kept. */
  maxEntryBytes: number;
}

/** Default limits: the landing page's few responses fit many times over; a 10,000-item page does not. */
export const DEFAULT_RESPONSE_CACHE_LIMITS: ResponseCacheLimits = {
  maxEntries: 256,
  maxBytes: 32 * 2 ** 20,
  maxEntryBytes: 2 ** 20,
};

interface Entry {
  version: string;
  body: string;
}

/** Response bodies by request key, for the current index version; least recently used dropped first. */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<string>>();
  #bytes = 0;
  /** The version the kept entries were computed at (entries of an older one are dropped together). */
  #version: string | null = null;

  constructor(
    readonly version: IndexVersion,
    private readonly limits: ResponseCacheLimits = DEFAULT_RESPONSE_CACHE_LIMITS,
  ) {}

  /** Responses kept and their size (tests, metrics). */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  /**
   * The body of `key` at `version`: kept, being computed by another request, or computed by
   * `compute` now. A request that waited on another's computation shares its failure, unless the
   * failure was the other client's own (it went away, or was refused admission): then it computes.
   */
  async body(key: string, version: string, compute: () => Promise<string>): Promise<string> {
    if (version !== this.#version) this.#clear(version);
    const kept = this.#entries.get(key);
    if (kept?.version === version) {
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return kept.body;
    }
    const pendingKey = `${version}\u0000${key}`;
    const pending = this.#pending.get(pendingKey);
    if (pending !== undefined)
      return pending.catch((error: unknown) => (forOneClient(error) ? compute() : Promise.reject(error)));
    const computing = compute()
      .then((body) => {
        this.#keep(key, version, body);
        return body;
      })
      .finally(() => this.#pending.delete(pendingKey));
    this.#pending.set(pendingKey, computing);
    return computing;
  }

  #keep(key: string, version: string, body: string): void {
    // Computed at a version that has passed meanwhile: answered, not kept.
    if (version !== this.#version || version !== this.version() || body.length > this.limits.maxEntryBytes) return;
    this.#drop(key);
    this.#entries.set(key, { version, body });
    this.#bytes += body.length;
    while (this.#entries.size > this.limits.maxEntries || this.#bytes > this.limits.maxBytes) {
      this.#drop(this.#entries.keys().next().value as string);
    }
  }

  #clear(version: string): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.#version = version;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.body.length;
  }
}

/** Whether `error` failed one client's request, not the query: its client went away, or was refused admission. */
function forOneClient(error: unknown): boolean {
  return isOcidexError(error, 'aborted') || isOcidexError(error, 'overloaded');
}
