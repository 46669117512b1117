/** The fake registry's vocabulary: options, faults, recorded requests, stored content, answers. */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

export interface FakeDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export type FakeAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | {
      kind: 'bearer';
      /** Credentials the token endpoint accepts (Basic); absent: anonymous only. */
      username?: string;
      password?: string;
      /** Whether anonymous token requests succeed; default: true when no username is set. */
      anonymous?: boolean;
      /** Refresh token accepted by `POST /token` (`grant_type=refresh_token`). */
      refreshToken?: string;
      /** `expires_in` of issued tokens; default 300. */
      expiresIn?: number;
      /** Realm as an absolute URL (default) or a relative path. */
      realm?: 'absolute' | 'relative';
      /** Which field carries the token; default both. */
      tokenField?: 'token' | 'access_token' | 'both';
    };

export interface FakeRegistryOptions {
  auth?: FakeAuth;
  /** Serve `/v2/<name>/referrers/<digest>`; default true. */
  referrersApi?: boolean;
  /** The referrers API filters by artifactType and says so; default true. */
  referrersFilter?: boolean;
  referrersPageSize?: number;
  /** Maintain `sha256-<hex>` referrers index tags on push; default: when the API is off. */
  referrersTagSchema?: boolean;
  /** Page size of catalog and tags when the client sends no `n`; default: everything. */
  pageSize?: number;
  /** Link headers as absolute URLs; default relative. */
  absoluteLinks?: boolean;
  /** Serve `/v2/_catalog`; default true. */
  catalog?: boolean;
  /** Answer blob GETs with a 307 to the storage origin. */
  redirectBlobs?: boolean;
  /** 404 a manifest whose media type the Accept header does not list; default true. */
  strictAccept?: boolean;
  /** A repository without tags lists `"tags": null` (default) or `[]`. */
  emptyTags?: 'null' | 'empty';
}

export interface Fault {
  method?: string;
  /** Exact pathname, or a RegExp tested against path + query. */
  path: string | RegExp;
  server?: 'registry' | 'storage';
  /** How many matching requests it applies to; default all. */
  times?: number;
  /** Wait before answering. */
  delayMs?: number;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Replace the answer: this status, `headers` and `body`. */
  status?: number;
  headers?: Record<string, string>;
  /** With `status`: the body; without: replaces the real body (headers kept). */
  body?: string | Uint8Array;
  /** Set (string) or remove (null) headers of the answer. */
  setHeaders?: Record<string, string | null>;
  /** Drop Content-Length (chunked transfer). */
  chunked?: boolean;
  /** Announce this Content-Length. */
  declaredLength?: number;
  /** Send half the body, then close the connection. */
  truncate?: boolean;
  /**
   * Send the headers and the body, then never finish the response: the announced Content-Length
   * is one byte more than sent (with `chunked`, the last chunk never comes).
   */
  stall?: boolean;
}

export interface RecordedRequest {
  server: 'registry' | 'storage';
  method: string;
  /** Path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client's port: equal ports mean a reused (keep-alive) connection. */
  remotePort: number | undefined;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
  parsed: Record<string, any>;
}

export interface Repository {
  manifests: Map<string, StoredManifest>;
  tags: Map<string, string>;
  blobs: Map<string, Buffer>;
}

export function digestOf(bytes: Uint8Array | string, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(value)),
  };
}

export function registryError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Answer {
  return json(status, { errors: [{ code, message, detail: null }] }, headers);
}

export const PAGE_NOT_FOUND: Answer = {
  status: 404,
  headers: { 'content-type': 'text/plain' },
  body: Buffer.from('404 page not found\n'),
};
