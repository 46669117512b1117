/**
 * Fetching a bearer token from a challenge's realm (distribution token spec): `GET realm?service=
 * &scope=..` with Basic credentials or none, or, holding an identity token, the OAuth2
 * `POST grant_type=refresh_token` that oras-go and the Docker CLI use.
 */
import { OcidexError } from '../domain/errors.js';
import { readBody } from './body.js';
import { basicAuthorization, type Credentials } from './credentials.js';
import type { RegistryRequest, RegistryResponse, Send } from './exchange.js';
import { MAX_TOKEN_RESPONSE_BYTES } from './limits.js';
import { redactUrl } from './redact.js';
import { errorFromResponse } from './registry-errors.js';
import type { IssuedToken } from './token-cache.js';

/** What to ask the token endpoint for, and with which credentials. */
export interface TokenRequest {
  realm: URL;
  service: string | undefined;
  scopes: readonly string[];
  credentials: Credentials | undefined;
  signal?: AbortSignal;
}

/** OAuth2 client id sent with refresh-token grants. */
const CLIENT_ID = 'ocidex';

function distributionRequest(request: TokenRequest): RegistryRequest {
  const url = new URL(request.realm);
  if (request.service !== undefined) url.searchParams.append('service', request.service);
  for (const scope of request.scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = { accept: 'application/json' };
  const credentials = request.credentials;
  if (credentials !== undefined && 'password' in credentials) {
    headers.authorization = basicAuthorization(credentials.username, credentials.password);
  }
  return { method: 'GET', url, headers, operation: 'token', signal: request.signal };
}

function oauth2Request(request: TokenRequest, refreshToken: string): RegistryRequest {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID });
  if (request.service !== undefined) form.set('service', request.service);
  if (request.scopes.length > 0) form.set('scope', request.scopes.join(' '));
  return {
    method: 'POST',
    url: new URL(request.realm),
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    operation: 'token',
    signal: request.signal,
  };
}

async function readToken(response: RegistryResponse): Promise<IssuedToken> {
  if (response.status !== 200) {
    const error = await errorFromResponse(response);
    if (response.status !== 401) throw error;
    throw new OcidexError(
      'unauthorized',
      `token request to ${redactUrl(response.url)} refused: HTTP 401`,
      error.details,
    );
  }
  const bytes = await readBody(response, { maxBytes: MAX_TOKEN_RESPONSE_BYTES, what: 'token response' });
  let reply: Record<string, unknown>;
  try {
    reply = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    const where = redactUrl(response.url);
    throw new OcidexError('bad_response', `token response from ${where} is not JSON`, {}, { cause: error });
  }
  const token = [reply.token, reply.access_token].find((value) => typeof value === 'string' && value !== '');
  if (typeof token !== 'string') {
    throw new OcidexError('bad_response', `token response from ${redactUrl(response.url)} has no token`);
  }
  return {
    token,
    ...(typeof reply.expires_in === 'number' ? { expiresInSeconds: reply.expires_in } : {}),
    ...(typeof reply.issued_at === 'string' ? { issuedAt: reply.issued_at } : {}),
  };
}

/** Fetches one token through `send` (the retrying transport: token requests are counted too). */
export function fetchToken(send: Send, request: TokenRequest): Promise<IssuedToken> {
  const credentials = request.credentials;
  const wire =
    credentials !== undefined && 'identityToken' in credentials
      ? oauth2Request(request, credentials.identityToken)
      : distributionRequest(request);
  return send(wire, readToken);
}
