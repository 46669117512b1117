/** The catalog's calls to the public API (/v1, same origin), errors as `ApiError` with the API's code. */

/** An error answer of the API: `{"error": {"code", "message", "position"?}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

const ADMIN_TOKEN_KEY = 'ocidex.adminToken';

/** The admin token the person entered, kept for this tab only (sessionStorage). */
export function adminToken(): string | null {
  return sessionStorage.getItem(ADMIN_TOKEN_KEY);
}

/** Keeps (or with null, forgets) the admin token for this tab. */
export function setAdminToken(token: string | null): void {
  if (token === null || token === '') sessionStorage.removeItem(ADMIN_TOKEN_KEY);
  else sessionStorage.setItem(ADMIN_TOKEN_KEY, token);
}

/** Calls the API; `admin` adds the admin token. */
export async function api<T>(path: string, init: RequestInit & { admin?: boolean } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = init.admin === true ? adminToken() : null;
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  const response = await fetch(path, { ...init, headers });
  const text = await response.text();
  const body = text === '' ? null : (JSON.parse(text) as unknown);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; position?: number } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? response.statusText, error?.position);
  }
  return body as T;
}

/** A query string from entries, repeating keys given arrays, dropping empty values. */
export function queryString(entries: Record<string, string | string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(entries)) {
    for (const item of Array.isArray(value) ? value : [value])
      if (item !== undefined && item !== '') params.append(key, item);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** A document as the API returns it (the fields the catalog reads). */
export interface Doc {
  reference: string;
  registry: string;
  repository: string;
  digest: string;
  tags: string[];
  mediaType: string;
  artifactType: string | null;
  kind: string;
  format: string;
  annotations: Record<string, unknown>;
  layers: Array<{ mediaType: string; digest: string; size: number; title: string | null }>;
  size: number;
  model: null | {
    name: string | null;
    version: string | null;
    license: string | null;
    format: string | null;
    framework: string | null;
    base: string | null;
    family: string | null;
    paramSize: string | null;
    quantization: string | null;
    description: string | null;
    metrics: Record<string, unknown> | null;
  };
  mount: { imageVolume: boolean; artifactVolume: boolean; reason: string | null } | null;
  subject: string | null;
  referrers: Referrer[];
  signed: boolean;
  verified: boolean;
  signers: string[];
  crawledAt: string;
}

/** A referrer embedded in its subject's document. */
export interface Referrer {
  digest: string;
  artifactType: string | null;
  kind: string;
  predicateType?: string | null;
  verification?: { status: string; policy: string | null; signer: string | null; reason: string | null } | null;
  referrers?: Referrer[];
}

/** One page of /v1/models. */
export interface Page<T = Doc> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

/** One facet of /v1/facets. */
export interface Facet {
  path: string;
  values: Array<{ value: unknown; count: number }>;
}
