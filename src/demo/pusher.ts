/**
 * A small OCI pusher for the distribution API (blobs, manifests, deletes), used by the demo and
 * the tests to fill a real registry. Not part of the crawler: the crawler only reads.
 * Spec: OCI distribution-spec "Push" (monolithic POST then PUT) and "Content Management".
 */
import { Agent, request, type Dispatcher } from 'undici';
import { OcidexError, type ErrorCode } from '../domain/errors.js';
import { MANIFEST_ACCEPT, type FetchedManifest } from '../domain/oci.js';
import { jsonBytes, sha256Digest } from './bytes.js';

/** Manifests larger than this are refused when read back (as the crawler does). */
const MANIFEST_SIZE_LIMIT = 4 * 1024 * 1024;
/** Characters of a registry error body quoted in an error message. */
const ERROR_BODY_QUOTE = 300;

export interface PusherOptions {
  username?: string;
  password?: string;
  /** Keep-alive connections to the registry (default 16). */
  connections?: number;
}

/** A pushed blob. */
export interface PushedBlob {
  digest: string;
  size: number;
}

/** A pushed manifest: the exact bytes sent and their digest. */
export interface PushedManifest {
  digest: string;
  size: number;
  mediaType: string;
  bytes: Uint8Array;
}

interface SendOptions {
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Statuses that are success; anything else throws. */
  expect: number[];
}

interface Reply {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/**
 * Pushes to one registry over a keep-alive agent, with Basic auth when credentials are given
 * (distribution's htpasswd answers `401 Basic`). Errors are OcidexErrors carrying the status
 * and the registry's message; the password never appears in them. Call `close()` when done.
 */
export class Pusher {
  readonly baseUrl: string;
  readonly #agent: Agent;
  readonly #authorization: string | undefined;
  /** `repository@digest` of blobs known to exist, to skip repeated HEADs. */
  readonly #knownBlobs = new Set<string>();

  constructor(baseUrl: string, options: PusherOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#agent = new Agent({ connections: options.connections ?? 16, keepAliveTimeout: 10_000 });
    if (options.username !== undefined) {
      const credentials = `${options.username}:${options.password ?? ''}`;
      this.#authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    }
  }

  /**
   * Uploads `bytes` unless the registry has them (HEAD first; pass `checkExisting: false` for
   * blobs known to be new). Monolithic upload: `POST .../blobs/uploads/`, then `PUT <Location>`
   * with `digest=`; the Location may be relative and may already carry a query.
   */
  async pushBlob(
    repository: string,
    bytes: Uint8Array,
    options: { checkExisting?: boolean } = {},
  ): Promise<PushedBlob> {
    const digest = sha256Digest(bytes);
    const key = `${repository}@${digest}`;
    const blob = { digest, size: bytes.byteLength };
    if (this.#knownBlobs.has(key)) return blob;
    if (options.checkExisting !== false && (await this.blobExists(repository, digest))) {
      this.#knownBlobs.add(key);
      return blob;
    }
    const started = await this.#send('POST', this.#url(`/v2/${repository}/blobs/uploads/`), { expect: [202] });
    const location = headerValue(started.headers, 'location');
    if (location === undefined) {
      throw new OcidexError('bad_response', `POST /v2/${repository}/blobs/uploads/ answered 202 without a Location`);
    }
    const uploadUrl = new URL(location, `${this.baseUrl}/`).toString();
    const separator = uploadUrl.includes('?') ? '&' : '?';
    await this.#send('PUT', `${uploadUrl}${separator}digest=${encodeURIComponent(digest)}`, {
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
      expect: [201],
    });
    this.#knownBlobs.add(key);
    return blob;
  }

  /** True when the repository has the blob (`HEAD /v2/<name>/blobs/<digest>`). */
  async blobExists(repository: string, digest: string): Promise<boolean> {
    const reply = await this.#send('HEAD', this.#url(`/v2/${repository}/blobs/${digest}`), { expect: [200, 404] });
    return reply.statusCode === 200;
  }

  /**
   * Puts a manifest under `reference` (a tag or its digest). An object is serialized as compact
   * JSON; bytes are sent as is. Checks the registry's `Docker-Content-Digest` against the bytes.
   */
  async pushManifest(
    repository: string,
    reference: string,
    manifest: object | Uint8Array,
    mediaType: string,
  ): Promise<PushedManifest> {
    const bytes = manifest instanceof Uint8Array ? manifest : jsonBytes(manifest);
    const digest = sha256Digest(bytes);
    const reply = await this.#send('PUT', this.#url(`/v2/${repository}/manifests/${reference}`), {
      headers: { 'content-type': mediaType },
      body: bytes,
      expect: [201],
    });
    const answered = headerValue(reply.headers, 'docker-content-digest');
    if (answered !== undefined && answered !== digest) {
      throw new OcidexError(
        'digest_mismatch',
        `registry stored ${repository}:${reference} as ${answered}, expected ${digest}`,
      );
    }
    return { digest, size: bytes.byteLength, mediaType, bytes };
  }

  /** The manifest under `reference`, or null when the registry answers 404. */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest | null> {
    const reply = await this.#send('GET', this.#url(`/v2/${repository}/manifests/${reference}`), {
      headers: { accept: MANIFEST_ACCEPT.join(', ') },
      expect: [200, 404],
    });
    if (reply.statusCode === 404) return null;
    if (reply.body.byteLength > MANIFEST_SIZE_LIMIT) {
      throw new OcidexError(
        'size_exceeds_limit',
        `manifest ${repository}:${reference} exceeds ${MANIFEST_SIZE_LIMIT} bytes`,
      );
    }
    const mediaType = headerValue(reply.headers, 'content-type') ?? '';
    const digest = sha256Digest(reply.body);
    return { digest, mediaType, size: reply.body.byteLength, bytes: reply.body };
  }

  /** Deletes a manifest by digest; false when it was already gone (404). */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const reply = await this.#send('DELETE', this.#url(`/v2/${repository}/manifests/${digest}`), {
      expect: [202, 404],
    });
    return reply.statusCode === 202;
  }

  /**
   * Removes `tag` the only way distribution 2.8 can: it cannot delete a tag (DELETE by tag
   * answers 400 DIGEST_INVALID), so this resolves the tag and deletes the manifest by digest,
   * which also removes EVERY other tag pointing at that manifest. Returns the deleted digest,
   * or null when the tag did not exist.
   */
  async deleteTag(repository: string, tag: string): Promise<string | null> {
    const manifest = await this.getManifest(repository, tag);
    if (manifest === null) return null;
    await this.deleteManifest(repository, manifest.digest);
    return manifest.digest;
  }

  /** Closes the keep-alive connections. */
  async close(): Promise<void> {
    await this.#agent.close();
  }

  #url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  async #send(method: Dispatcher.HttpMethod, url: string, options: SendOptions): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    // Credentials go to the registry only, never to a Location on another host.
    if (this.#authorization !== undefined && new URL(url).origin === new URL(this.baseUrl).origin) {
      headers.authorization = this.#authorization;
    }
    const response = await request(url, { method, headers, body: options.body, dispatcher: this.#agent }).catch(
      (error: unknown) => {
        throw new OcidexError(
          'unreachable',
          `${method} ${describeUrl(url)} failed: ${(error as Error).message}`,
          {
            transient: true,
          },
          { cause: error },
        );
      },
    );
    const body = new Uint8Array(await response.body.arrayBuffer());
    if (!options.expect.includes(response.statusCode)) {
      throw registryError(method, url, response.statusCode, body);
    }
    return { statusCode: response.statusCode, headers: response.headers, body };
  }
}

function headerValue(headers: Reply['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The URL without its query (upload state tokens are long and say nothing). */
function describeUrl(url: string): string {
  return new URL(url).pathname;
}

function registryError(method: string, url: string, status: number, body: Uint8Array): OcidexError {
  const text = Buffer.from(body).toString('utf8');
  let detail = text.slice(0, ERROR_BODY_QUOTE).trim();
  let registryCode: string | undefined;
  try {
    const parsed = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    const first = parsed.errors?.[0];
    if (first !== undefined) {
      registryCode = first.code;
      detail = `${first.code ?? 'ERROR'}: ${first.message ?? ''}`.trim();
    }
  } catch {
    // Not the distribution error shape: quote the body as is.
  }
  const message = `${method} ${describeUrl(url)} failed with ${status}${detail === '' ? '' : ` ${detail}`}`;
  const transient = status === 429 || status >= 500;
  return new OcidexError(errorCodeFor(status, registryCode), message, { status, transient });
}

function errorCodeFor(status: number, registryCode: string | undefined): ErrorCode {
  if (registryCode === 'NAME_UNKNOWN') return 'name_unknown';
  if (registryCode === 'MANIFEST_UNKNOWN') return 'manifest_unknown';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'denied';
  if (status === 404) return 'not_found';
  if (status === 429) return 'too_many_requests';
  if (status >= 500) return 'server_error';
  return 'bad_response';
}
