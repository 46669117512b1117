/**
 * The bottom of the HTTP stack: one undici dispatch per call (dispatch-response.ts), within the per-registry concurrency
 * limit and rate, with a per-request timeout, counted in the stats. Network failures become
 * OcidexErrors here (`unreachable`, `timeout`, `aborted`); statuses are left to the layers above.
 */
import type { Dispatcher } from 'undici';
import { OcidexError } from '../domain/errors.js';
import { type DispatchedResponse, dispatchRequest } from './dispatch-response.js';
import { discardBody, type RegistryRequest, type RegistryResponse, type Send } from './exchange.js';
import { USER_AGENT } from './limits.js';
import { redactUrl } from './redact.js';
import { RETRYABLE_NETWORK_CODES } from './retry-policy.js';
import { countOutcome, countRequest, type Operation, type RequestStats } from './stats.js';
import { abortedError, Semaphore, TokenBucket, type RequestRateLimiter } from './throttle.js';

/** The dispatcher (one keep-alive Agent per client), stats, limits. */
export interface TransportOptions {
  dispatcher: Dispatcher;
  stats: RequestStats;
  timeoutMs: number;
  concurrency: number;
  requestsPerSecond?: number;
  /** Used instead of a local bucket for `requestsPerSecond` when given (e.g. shared in Redis). */
  rateLimiter?: RequestRateLimiter;
  /** Told of every request's outcome: its status, or `error` without a response (metrics). */
  onOutcome?: (operation: Operation, status: number | 'error') => void;
}

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** What a deadline aborts: the request in flight (dispatch-response.ts). */
interface Abortable {
  abort(reason: Error): void;
}

/**
 * Aborts on the caller's signal or after `timeoutMs`, whichever comes first; `dispose` cleans up.
 * It aborts the request it watches directly, without an AbortController per request.
 */
class RequestDeadline {
  timedOut = false;
  private target: Abortable | null = null;
  private reason: Error | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly onCallerAbort = (): void => {
    const reason = this.caller?.reason;
    this.abort(reason instanceof Error ? reason : new Error('aborted'));
  };

  constructor(
    timeoutMs: number,
    private readonly caller?: AbortSignal,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    if (caller?.aborted) this.onCallerAbort();
    else caller?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** Aborts `target` now if the deadline already passed, else when it does. */
  watch(target: Abortable): void {
    this.target = target;
    if (this.reason !== null) target.abort(this.reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  }

  private abort(reason: Error): void {
    this.reason ??= reason;
    this.target?.abort(reason);
  }
}

function networkError(error: unknown, request: RegistryRequest, deadline: RequestDeadline): OcidexError {
  const where = `${request.operation} ${redactUrl(request.url)}`;
  if (request.signal?.aborted) return new OcidexError('aborted', `${where}: aborted`, {}, { cause: error });
  // The egress policy refused the address (guarded-connect.ts): said as is, never retried.
  if (error instanceof OcidexError && error.code === 'egress_denied') {
    return new OcidexError('egress_denied', `${where}: ${error.message}`);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (deadline.timedOut || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
    return new OcidexError('timeout', `${where}: timed out`, { transient: true }, { cause: error });
  }
  const said = error instanceof Error ? error.message : String(error);
  const transient = typeof code === 'string' && (RETRYABLE_NETWORK_CODES.has(code) || code === 'ECONNREFUSED');
  return new OcidexError('unreachable', `${where}: ${said}`, { transient }, { cause: error });
}

/** Errors thrown while `read` consumed the body: aborts and timeouts win over what they caused. */
function readError(error: unknown, request: RegistryRequest, deadline: RequestDeadline): unknown {
  const fromAbort = request.signal?.aborted || deadline.timedOut;
  const replaceable = !(error instanceof OcidexError) || error.code === 'truncated_body';
  return fromAbort && replaceable ? networkError(error, request, deadline) : error;
}

/** A `Send` that talks to the network. */
export function createTransport(options: TransportOptions): Send {
  const semaphore = new Semaphore(options.concurrency);
  const limiter =
    options.rateLimiter ?? (options.requestsPerSecond ? new TokenBucket(options.requestsPerSecond) : undefined);

  return async (request, read) => {
    const release = await semaphore.acquire(request.signal);
    try {
      await limiter?.acquire(request.signal).catch((error: unknown) => {
        throw request.signal?.aborted ? abortedError(request.signal) : error;
      });
      return await exchange(options, request, read);
    } finally {
      release();
    }
  };
}

async function exchange<T>(
  options: TransportOptions,
  request: RegistryRequest,
  read: (response: RegistryResponse) => Promise<T>,
): Promise<T> {
  const deadline = new RequestDeadline(options.timeoutMs, request.signal);
  try {
    countRequest(options.stats, request.operation);
    let data: DispatchedResponse;
    try {
      const handler = dispatchRequest(options.dispatcher, {
        origin: request.url.origin,
        path: `${request.url.pathname}${request.url.search}`,
        method: request.method,
        headers: { 'user-agent': USER_AGENT, ...request.headers },
        body: request.body ?? null,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        // undici closes the connection after any HEAD unless told not to ("interop with
        // misbehaving servers"); registries answer HEAD correctly, and a recrawl is all HEADs.
        reset: false,
      });
      deadline.watch(handler);
      data = await handler.response;
    } catch (error) {
      countOutcome(options.stats, 'error');
      options.onOutcome?.(request.operation, 'error');
      throw networkError(error, request, deadline);
    }
    countOutcome(options.stats, data.status);
    options.onOutcome?.(request.operation, data.status);
    const { status, headers, body } = data;
    const response: RegistryResponse = { status, headers, url: request.url, body, request };
    try {
      return await read(response);
    } catch (error) {
      throw readError(error, request, deadline);
    } finally {
      // Whatever `read` left unread is drained so the connection goes back to the pool.
      if (!body.destroyed && !body.readableEnded) await discardBody(response);
    }
  } finally {
    deadline.dispose();
  }
}
