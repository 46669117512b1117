/**
 * The auth layer (oras-go `registry/remote/auth/client.go`): answers a 401 challenge once.
 * Bearer: a token for the request's scopes merged with the challenge's, fetched once per
 * (realm, service, scope set) and reused; Basic: the credentials. Auth is only ever sent to the
 * registry's own origin. A 401 to the answered request goes to the caller: no loop.
 */
import { OcidexError } from '../domain/errors.js';
import { basicAuthorization, type Credentials } from './credentials.js';
import { discardBody, headerValues, type RegistryRequest, type RegistryResponse, type Send } from './exchange.js';
import type { SecretRedactor } from './redact.js';
import { cleanScopes, splitScopes } from './scope.js';
import { TokenCache } from './token-cache.js';
import { fetchToken } from './token-fetch.js';
import { parseChallenges } from './www-authenticate.js';

/** What the auth layer needs: where auth may go, what to answer with, where secrets are kept. */
export interface AuthOptions {
  /** `scheme://host[:port]` of the registry; other origins never get `Authorization`. */
  registryOrigin: string;
  credentials: Credentials | undefined;
  redactor: SecretRedactor;
  cache?: TokenCache;
}

interface BearerChallenge {
  realm: URL;
  service: string | undefined;
}

type Answer = { kind: 'basic' } | { kind: 'bearer'; challenge: BearerChallenge; scopes: string[] };

/** What was sent with a request, to know what a 401 means. */
interface Sent {
  authorization?: string;
  tokenKey?: string;
  token?: string;
}

function withAuthorization(request: RegistryRequest, authorization: string | undefined): RegistryRequest {
  if (authorization === undefined) return request;
  return { ...request, headers: { ...request.headers, authorization } };
}

/**
 * Whether credentials of the registry at `registryOrigin` may be sent to `target`: never from an
 * `https` registry to a plain `http` URL (a token realm, a redirect), where anyone on the path
 * reads them.
 */
export function mayCarryCredentials(registryOrigin: string, target: URL): boolean {
  return !(registryOrigin.startsWith('https:') && target.protocol !== 'https:');
}

function tokenKey(challenge: BearerChallenge, scopes: readonly string[]): string {
  return `${challenge.realm.href} ${challenge.service ?? ''} ${scopes.join(' ')}`;
}

/** Wraps `inner` with challenge answering. */
export function withAuth(inner: Send, options: AuthOptions): Send {
  return new AuthLayer(inner, options).send;
}

class AuthLayer {
  private scheme: 'basic' | 'bearer' | undefined;
  private lastBearer: BearerChallenge | undefined;
  private readonly cache: TokenCache;

  constructor(
    private readonly inner: Send,
    private readonly options: AuthOptions,
  ) {
    this.cache = options.cache ?? new TokenCache();
  }

  readonly send: Send = async <T>(request: RegistryRequest, read: (response: RegistryResponse) => Promise<T>) => {
    if (request.url.origin !== this.options.registryOrigin) return this.inner(request, read);
    const credentials = this.options.credentials;
    if (credentials !== undefined && 'registryToken' in credentials) {
      return this.inner(withAuthorization(request, `Bearer ${credentials.registryToken}`), read);
    }
    const sent = this.preemptive(request);
    const first = await this.inner(withAuthorization(request, sent.authorization), async (response) => {
      const answer = response.status === 401 ? this.answerFor(response, sent) : undefined;
      if (answer === undefined) return { done: true as const, value: await read(response) };
      await discardBody(response);
      return { done: false as const, answer };
    });
    if (first.done) return first.value;
    if (sent.tokenKey !== undefined && sent.token !== undefined) this.cache.invalidate(sent.tokenKey, sent.token);
    const authorization = await this.authorize(first.answer, request.signal);
    return this.inner(withAuthorization(request, authorization), read);
  };

  /** Authorization known to work for this host already (Basic, or a cached token). */
  private preemptive(request: RegistryRequest): Sent {
    const credentials = this.options.credentials;
    if (this.scheme === 'basic' && credentials !== undefined && 'password' in credentials) {
      return { authorization: basicAuthorization(credentials.username, credentials.password) };
    }
    if (this.scheme !== 'bearer' || this.lastBearer === undefined) return {};
    const key = tokenKey(this.lastBearer, cleanScopes(request.scopes ?? []));
    const token = this.cache.get(key);
    return token === undefined ? {} : { authorization: `Bearer ${token}`, tokenKey: key, token };
  }

  /** How to answer a 401, or undefined when it cannot be answered (or already was). */
  private answerFor(response: RegistryResponse, sent: Sent): Answer | undefined {
    const challenges = parseChallenges(headerValues(response.headers, 'www-authenticate'));
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer' && challenge.params.realm);
    if (bearer?.params.realm !== undefined) {
      let realm: URL;
      try {
        realm = new URL(bearer.params.realm, response.url);
      } catch {
        return undefined;
      }
      if (realm.protocol !== 'https:' && realm.protocol !== 'http:') return undefined;
      const scopes = cleanScopes([...(response.request.scopes ?? []), ...splitScopes(bearer.params.scope)]);
      return { kind: 'bearer', challenge: { realm, service: bearer.params.service }, scopes };
    }
    const credentials = this.options.credentials;
    const canBasic = credentials !== undefined && 'password' in credentials && sent.authorization === undefined;
    if (canBasic && challenges.some((challenge) => challenge.scheme === 'basic')) return { kind: 'basic' };
    return undefined;
  }

  /** The `Authorization` value answering `answer` (fetching a token when needed). */
  private async authorize(answer: Answer, signal: AbortSignal | undefined): Promise<string> {
    const credentials = this.options.credentials;
    if (answer.kind === 'basic' && credentials !== undefined && 'password' in credentials) {
      this.scheme = 'basic';
      return basicAuthorization(credentials.username, credentials.password);
    }
    if (answer.kind !== 'bearer') throw new Error('unreachable: basic answer without credentials');
    const realm = answer.challenge.realm;
    if (credentials !== undefined && !mayCarryCredentials(this.options.registryOrigin, realm)) {
      throw new OcidexError(
        'insecure_transport',
        `token realm ${realm.protocol}//${realm.host} is plain HTTP; ` +
          'credentials of an https registry are never sent there',
      );
    }
    this.scheme = 'bearer';
    this.lastBearer = answer.challenge;
    const key = tokenKey(answer.challenge, answer.scopes);
    const token = await this.cache.fetch(key, () =>
      fetchToken(this.inner, { ...answer.challenge, scopes: answer.scopes, credentials, signal }),
    );
    this.options.redactor.add(token);
    return `Bearer ${token}`;
  }
}
