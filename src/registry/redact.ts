/**
 * Keeps credentials out of error messages. Messages are built from redacted URLs, and every
 * error leaving the client passes through a `SecretRedactor` that knows the live secrets.
 */
import { OcidexError } from '../domain/errors.js';

const REDACTED = '[redacted]';

/** `scheme://host[:port]/path`, without userinfo or query (signed URLs carry secrets there). */
export function redactUrl(url: URL | string): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

/** Knows every secret the client holds or received, and removes them from errors. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret; short strings are ignored (they would redact ordinary words). */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 4) this.secrets.add(secret);
  }

  /** `text` with every known secret replaced. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result;
  }

  /** Whether `text` contains a known secret. */
  contains(text: string): boolean {
    for (const secret of this.secrets) if (text.includes(secret)) return true;
    return false;
  }

  /** Any thrown value as an OcidexError whose message (and kept cause) hold no secret. */
  error(error: unknown): OcidexError {
    const source =
      error instanceof OcidexError
        ? error
        : new OcidexError('internal', error instanceof Error ? error.message : String(error), {}, { cause: error });
    const cause = source.cause;
    const causeText = cause instanceof Error ? `${cause.message}\n${cause.stack ?? ''}` : String(cause ?? '');
    if (!this.contains(source.message) && !this.contains(causeText)) return source;
    const options = this.contains(causeText) ? undefined : { cause };
    const clean = new OcidexError(source.code, this.redact(source.message), source.details, options);
    return clean;
  }
}
