/**
 * Reading response bodies with limits: refuse by `Content-Length` before reading, count bytes
 * while streaming and stop as soon as the cap is passed, detect bodies shorter than announced.
 */
import { OcidexError } from '../domain/errors.js';
import { abandonBody, headerValue, type RegistryResponse } from './exchange.js';
import { redactUrl } from './redact.js';

/** The cap of one body read. */
export interface ReadLimit {
  maxBytes: number;
  /** What is being read, for messages ("manifest", "blob"). */
  what: string;
}

/** Declared `Content-Length`, or undefined when absent or not a number. */
export function contentLength(response: RegistryResponse): number | undefined {
  const value = headerValue(response.headers, 'content-length');
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

function tooLarge(response: RegistryResponse, limit: ReadLimit, size: number | string): OcidexError {
  return new OcidexError(
    'size_exceeds_limit',
    `${limit.what} at ${redactUrl(response.url)} is ${size} bytes, over the limit of ${limit.maxBytes}`,
    { status: response.status },
  );
}

function truncated(response: RegistryResponse, received: number, cause?: unknown): OcidexError {
  const declared = contentLength(response);
  const expected = declared === undefined ? '' : ` of ${declared}`;
  return new OcidexError(
    'truncated_body',
    `body of ${redactUrl(response.url)} ended after ${received} bytes${expected}`,
    { status: response.status, transient: true },
    { cause },
  );
}

/** Reads the whole body, never holding more than `limit.maxBytes`. */
export async function readBody(response: RegistryResponse, limit: ReadLimit): Promise<Uint8Array> {
  const declared = contentLength(response);
  if (declared !== undefined && declared > limit.maxBytes) {
    abandonBody(response);
    throw tooLarge(response, limit, declared);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for await (const chunk of response.body) {
      received += chunk.length;
      if (received > limit.maxBytes) {
        abandonBody(response);
        throw tooLarge(response, limit, `more than ${limit.maxBytes}`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof OcidexError) throw error;
    throw truncated(response, received, error);
  }
  if (declared !== undefined && received < declared) throw truncated(response, received);
  return concatenated(chunks, received);
}

/** The chunks in one plain Uint8Array (copied once: no Buffer in between). */
function concatenated(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Reads at most `maxBytes` of a body (error bodies): the rest is dropped, errors give what came. */
export async function readPrefix(response: RegistryResponse, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      chunks.push(chunk.subarray(0, maxBytes - received));
      received += Math.min(chunk.length, maxBytes - received);
      if (received >= maxBytes) break;
    }
  } catch {
    // An error body that fails half-way still says what it said so far.
  } finally {
    abandonBody(response);
  }
  return new Uint8Array(Buffer.concat(chunks, received));
}
