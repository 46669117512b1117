/**
 * Keeps credentials out of error messages. Messages are built from redacted URLs, and every
 * error leaving the client passes through a `SecretRedactor` that knows the live secrets. A
 * registry can echo a secret back (an `Authorization` header quoted in a 400 body), and a message
 * cut to length can keep most of one, so the redactor removes every 8-character piece of a secret,
 * not only whole ones, and messages are shortened only after that (`MAX_ERROR_MESSAGE_CHARS`).
 */
import { OcidexError } from '../domain/errors.js';

const REDACTED = '[redacted]';

/** Length of the secret pieces the redactor recognizes: any longer run shared with a secret goes. */
export const SECRET_FRAGMENT_CHARS = 8;

/** Error messages leaving the client are cut to this length after redaction. */
export const MAX_ERROR_MESSAGE_CHARS = 500;

/** `scheme://host[:port]/path`, without userinfo or query (signed URLs carry secrets there). */
export function redactUrl(url: URL | string): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

/** `text` cut to `max` characters, marked when cut. */
export function truncateText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Knows every secret the client holds or received, and removes them (and their pieces) from text. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  /** Every SECRET_FRAGMENT_CHARS-long substring of every secret. */
  private readonly fragments = new Set<string>();

  /** Registers a secret; short strings are ignored (they would redact ordinary words). */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < 4 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    for (let start = 0; start + SECRET_FRAGMENT_CHARS <= secret.length; start += 1) {
      this.fragments.add(secret.slice(start, start + SECRET_FRAGMENT_CHARS));
    }
  }

  /** `text` with every known secret, and every run of text covered by pieces of one, replaced. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    const covered = this.coveredRanges(result);
    if (covered.length === 0) return result;
    let clean = '';
    let at = 0;
    for (const [start, end] of covered) {
      clean += `${result.slice(at, start)}${REDACTED}`;
      at = end;
    }
    return clean + result.slice(at);
  }

  /** Whether `text` contains a known secret or a piece of one. */
  contains(text: string): boolean {
    for (const secret of this.secrets) if (text.includes(secret)) return true;
    return this.coveredRanges(text).length > 0;
  }

  /** Any thrown value as an OcidexError whose message is redacted, then capped; a cause holding a secret is dropped. */
  error(error: unknown): OcidexError {
    const source =
      error instanceof OcidexError
        ? error
        : new OcidexError('internal', error instanceof Error ? error.message : String(error), {}, { cause: error });
    const cause = source.cause;
    const causeText = cause instanceof Error ? `${cause.message}\n${cause.stack ?? ''}` : String(cause ?? '');
    const message = truncateText(this.redact(source.message), MAX_ERROR_MESSAGE_CHARS);
    const causeLeaks = this.contains(causeText);
    if (message === source.message && !causeLeaks) return source;
    return new OcidexError(source.code, message, source.details, causeLeaks ? undefined : { cause });
  }

  /** Merged `[start, end)` ranges of `text` made of secret pieces. */
  private coveredRanges(text: string): Array<[number, number]> {
    const ranges: Array<[number, number]> = [];
    if (this.fragments.size === 0) return ranges;
    for (let start = 0; start + SECRET_FRAGMENT_CHARS <= text.length; start += 1) {
      if (!this.fragments.has(text.slice(start, start + SECRET_FRAGMENT_CHARS))) continue;
      const end = start + SECRET_FRAGMENT_CHARS;
      const last = ranges[ranges.length - 1];
      if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
      else ranges.push([start, end]);
    }
    return ranges;
  }
}
