/** What the operation modules (listing, manifests, blobs, referrers) share: the stack and the limits. */
import { OcidexError, type ErrorCode } from '../domain/errors.js';
import type { Send } from './exchange.js';

/** Caps applied by the operations. */
export interface OperationLimits {
  maxManifestBytes: number;
  maxBlobBytes: number;
  maxPages: number;
  /** `n` sent on listings, or undefined to send none. */
  pageSize: number | undefined;
}

/** The narrow view of the client that the operation modules get. */
export interface OperationContext {
  send: Send;
  /** `http(s)://host[:port]` */
  baseUrl: string;
  limits: OperationLimits;
}

/** A URL on the registry. Callers validated the names they interpolate into `path`. */
export function registryUrl(context: OperationContext, path: string): URL {
  return new URL(path, context.baseUrl);
}

/** The same error under another code (the status says more in context: a tags 404 is name_unknown). */
export function recode(error: OcidexError, code: ErrorCode): OcidexError {
  if (error.code === code) return error;
  return new OcidexError(code, error.message, error.details, { cause: error.cause });
}
