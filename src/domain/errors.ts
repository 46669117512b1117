/**
 * Typed errors with a stable `code`. Callers match on `code`, never on message text.
 * Messages must never contain credentials.
 */

export type ErrorCode =
  // registry / transport
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'denied'
  | 'not_found'
  | 'name_unknown'
  | 'manifest_unknown'
  | 'too_many_requests'
  | 'server_error'
  | 'bad_response'
  | 'unsupported'
  | 'digest_mismatch'
  | 'size_exceeds_limit'
  | 'truncated_body'
  | 'content_type_mismatch'
  | 'page_limit'
  | 'link_cycle'
  | 'invalid_reference'
  | 'aborted'
  | 'egress_denied'
  | 'insecure_transport'
  // decoding
  | 'invalid_manifest'
  | 'invalid_json_annotation'
  | 'invalid_config'
  // index / query / input
  | 'invalid_query'
  | 'query_timeout'
  | 'result_too_large'
  | 'invalid_argument'
  | 'index_unavailable'
  // service
  | 'overloaded'
  | 'internal';

export interface ErrorDetails {
  status?: number;
  registry?: string;
  repository?: string;
  reference?: string;
  /** A transient error may succeed when retried. */
  transient?: boolean;
  retryAfterMs?: number;
  /** Position in a query string, for `invalid_query`. */
  position?: number;
}

export class OcidexError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OcidexError';
    this.code = code;
    this.details = details;
  }

  get transient(): boolean {
    return this.details.transient === true;
  }
}

export function isOcidexError(error: unknown, code?: ErrorCode): error is OcidexError {
  return error instanceof OcidexError && (code === undefined || error.code === code);
}

/** Any thrown value as an OcidexError (unknown errors become `internal`). */
export function toOcidexError(error: unknown): OcidexError {
  if (error instanceof OcidexError) return error;
  if (error instanceof Error) return new OcidexError('internal', error.message, {}, { cause: error });
  return new OcidexError('internal', String(error));
}
