/**
 * Registry error replies as OcidexErrors (oras-go `registry/remote/errcode`). The body
 * `{"errors":[{code,message,detail}]}` is read with a size cap; its first code decides, else the
 * status does.
 */
import { OcidexError, type ErrorCode, type ErrorDetails } from '../domain/errors.js';
import { readPrefix } from './body.js';
import { headerValue, type RegistryResponse } from './exchange.js';
import { MAX_ERROR_BODY_BYTES } from './limits.js';
import { redactUrl } from './redact.js';
import { parseRetryAfter } from './retry-policy.js';

/** One entry of a registry error body. */
export interface RegistryErrorEntry {
  code: string;
  message: string;
}

/** Distribution error codes (spec "Error codes") and ours. */
const CODE_BY_REGISTRY_CODE: Readonly<Record<string, ErrorCode>> = {
  NAME_UNKNOWN: 'name_unknown',
  MANIFEST_UNKNOWN: 'manifest_unknown',
  BLOB_UNKNOWN: 'not_found',
  UNAUTHORIZED: 'unauthorized',
  DENIED: 'denied',
  TOOMANYREQUESTS: 'too_many_requests',
  UNSUPPORTED: 'unsupported',
  NAME_INVALID: 'invalid_reference',
  TAG_INVALID: 'invalid_reference',
  DIGEST_INVALID: 'invalid_reference',
};

/**
 * The registry's own message is kept up to this length here; the client redacts secrets from the
 * whole message first and only then cuts it (redact.ts), so a cut never keeps part of a secret.
 */
const MAX_REGISTRY_MESSAGE_CHARS = 4096;
/** Registry error codes are short upper-case words; anything else is not shown. */
const REGISTRY_CODE_PATTERN = /^[A-Z_]{1,64}$/;

/** A registry's error code, upper case, or '' when it is not a short word (it is shown). */
function registryCode(code: string): string {
  const upper = code.toUpperCase();
  return REGISTRY_CODE_PATTERN.test(upper) ? upper : '';
}

/** The entries of an error body; an unparseable body gives none. */
export function parseErrorBody(bytes: Uint8Array): RegistryErrorEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return [];
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null)
    .map((entry) => ({
      code: typeof entry.code === 'string' ? registryCode(entry.code) : '',
      message: typeof entry.message === 'string' ? entry.message : '',
    }));
}

/** Our code for a registry code and status. */
export function errorCodeFor(status: number, registryCode: string | undefined): ErrorCode {
  const byRegistryCode = registryCode === undefined ? undefined : CODE_BY_REGISTRY_CODE[registryCode];
  if (byRegistryCode !== undefined) return byRegistryCode;
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'denied';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'too_many_requests';
  if (status >= 500) return 'server_error';
  return 'bad_response';
}

const TRANSIENT_CODES: ReadonlySet<ErrorCode> = new Set(['timeout', 'too_many_requests', 'server_error']);

/** An error for a response whose body entries are already known. */
export function registryError(
  response: Pick<RegistryResponse, 'status' | 'headers' | 'url' | 'request'>,
  entries: readonly RegistryErrorEntry[],
  details: ErrorDetails = {},
): OcidexError {
  const first = entries[0];
  const code = errorCodeFor(response.status, first?.code || undefined);
  const said = first
    ? ` ${first.code}${first.message ? `: ${first.message.slice(0, MAX_REGISTRY_MESSAGE_CHARS)}` : ''}`
    : '';
  const message = `${response.request.operation} ${redactUrl(response.url)}: HTTP ${response.status}${said}`;
  const retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'));
  return new OcidexError(code, message, {
    ...details,
    status: response.status,
    ...(TRANSIENT_CODES.has(code) ? { transient: true } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** Reads the (capped) error body of `response` and turns it into an OcidexError. */
export async function errorFromResponse(response: RegistryResponse, details: ErrorDetails = {}): Promise<OcidexError> {
  const bytes =
    response.request.method === 'HEAD' ? new Uint8Array() : await readPrefix(response, MAX_ERROR_BODY_BYTES);
  return registryError(response, parseErrorBody(bytes), details);
}
