/**
 * Authentication of the fake registry: none, Basic, or Bearer with a token endpoint (`/token`,
 * GET with Basic or anonymous, POST with a refresh token) issuing tokens per scope set.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { json, PAGE_NOT_FOUND, registryError, type Answer, type FakeAuth } from './types.js';

/** Checks requests against `auth` and issues tokens. */
export class FakeAuthority {
  private readonly tokens = new Map<string, string[]>();

  /** `url`: the registry's base URL (the absolute realm). */
  constructor(
    private readonly auth: FakeAuth,
    private readonly url: () => string,
  ) {}

  /** Forgets every issued token (as if they expired server-side). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** The `WWW-Authenticate` value the fake sends for `scope`. */
  bearerChallenge(scope?: string): string {
    const auth = this.auth;
    const realm = auth.kind === 'bearer' && auth.realm === 'relative' ? '/token' : `${this.url()}/token`;
    return `Bearer realm="${realm}",service="fake-registry"${scope ? `,scope="${scope}"` : ''}`;
  }

  /** null when allowed, else the 401 answer. */
  authorize(headers: IncomingHttpHeaders, scope: string | null): Answer | null {
    const auth = this.auth;
    const authorization = headers.authorization ?? '';
    if (auth.kind === 'none') return null;
    if (auth.kind === 'basic') {
      const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      if (authorization === expected) return null;
      return registryError(401, 'UNAUTHORIZED', 'authentication required', {
        'www-authenticate': 'Basic realm="fake-registry"',
      });
    }
    const granted = authorization.startsWith('Bearer ')
      ? this.tokens.get(authorization.slice('Bearer '.length))
      : undefined;
    if (granted && (scope === null || grants(granted, scope))) return null;
    return registryError(401, 'UNAUTHORIZED', 'authentication required', {
      'www-authenticate': this.bearerChallenge(scope ?? undefined),
    });
  }

  serveToken(method: string, url: URL, headers: IncomingHttpHeaders, body: string): Answer {
    const auth = this.auth;
    if (auth.kind !== 'bearer') return PAGE_NOT_FOUND;
    let scopes: string[];
    if (method === 'POST') {
      const form = new URLSearchParams(body);
      if (
        form.get('grant_type') !== 'refresh_token' ||
        !auth.refreshToken ||
        form.get('refresh_token') !== auth.refreshToken
      ) {
        return registryError(401, 'UNAUTHORIZED', 'invalid refresh token');
      }
      scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    } else {
      const authorization = headers.authorization;
      const expected = auth.username
        ? `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`
        : undefined;
      const anonymous = auth.anonymous ?? auth.username === undefined;
      if (authorization !== undefined ? authorization !== expected : !anonymous) {
        return registryError(401, 'UNAUTHORIZED', 'invalid credentials');
      }
      scopes = url.searchParams.getAll('scope');
    }
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, scopes);
    const field = auth.tokenField ?? 'both';
    return json(200, {
      ...(field !== 'access_token' ? { token } : {}),
      ...(field !== 'token' ? { access_token: token } : {}),
      expires_in: auth.expiresIn ?? 300,
      issued_at: new Date().toISOString(),
    });
  }
}
/** Whether granted scopes cover `scope` (same resource, the action or `*`). */
function grants(granted: readonly string[], scope: string): boolean {
  const at = scope.lastIndexOf(':');
  const resource = scope.slice(0, at);
  const action = scope.slice(at + 1);
  return granted.some((candidate) => {
    const candidateAt = candidate.lastIndexOf(':');
    if (candidate.slice(0, candidateAt) !== resource) return false;
    const actions = candidate.slice(candidateAt + 1).split(',');
    return actions.includes(action) || actions.includes('*');
  });
}
