/**
 * Bearer tokens by key (realm, service and sorted scopes), fetched once even when many requests
 * need the same token at the same time (singleflight), and kept until shortly before expiry
 * (oras-go `registry/remote/auth/cache.go`).
 */
import { MIN_TOKEN_LIFETIME_SECONDS, TOKEN_EXPIRY_MARGIN_MS } from './limits.js';

/** A token as the token endpoint issued it. */
export interface IssuedToken {
  token: string;
  /** `expires_in`; default and floor 60 s. */
  expiresInSeconds?: number;
  /** `issued_at` (RFC 3339), when given. */
  issuedAt?: string;
}

type Entry = { pending: Promise<string> } | { token: string; expiresAt: number };

/** Tokens by key with singleflight fetching; `now` is injectable for tests. */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A cached token still valid for a while, if any. */
  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || 'pending' in entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.token;
    this.entries.delete(key);
    return undefined;
  }

  /** The cached token, else the one being fetched, else a new fetch by `issue`. */
  async fetch(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const entry = this.entries.get(key);
    if (entry !== undefined && 'pending' in entry) return entry.pending;
    const pending = issue().then(
      (issued) => {
        this.entries.set(key, { token: issued.token, expiresAt: this.expiresAt(issued) });
        return issued.token;
      },
      (error: unknown) => {
        this.entries.delete(key);
        throw error;
      },
    );
    this.entries.set(key, { pending });
    return pending;
  }

  /** Forgets `token` under `key` (the registry refused it); a newer token is kept. */
  invalidate(key: string, token: string): void {
    const entry = this.entries.get(key);
    if (entry !== undefined && 'token' in entry && entry.token === token) this.entries.delete(key);
  }

  private expiresAt(issued: IssuedToken): number {
    const now = this.now();
    const lifetimeMs = Math.max(issued.expiresInSeconds ?? 0, MIN_TOKEN_LIFETIME_SECONDS) * 1000;
    const issuedAt = issued.issuedAt === undefined ? NaN : Date.parse(issued.issuedAt);
    // issued_at may shorten the life of a token the server cached, but clocks disagree: a date
    // in the future, or one that would leave nothing, is ignored.
    const start = Number.isNaN(issuedAt) || issuedAt > now ? now : issuedAt;
    const expiresAt = start + lifetimeMs - TOKEN_EXPIRY_MARGIN_MS;
    return expiresAt > now ? expiresAt : now + lifetimeMs - TOKEN_EXPIRY_MARGIN_MS;
  }
}
