/**
 * Which URL a registry name means. An explicit `http://` or `https://` decides; a bare loopback
 * host (`localhost`, `127.0.0.0/8`, `[::1]`, any port) means plain HTTP, like docker and oras;
 * everything else HTTPS. `plainHttp` forces HTTP.
 */
import { OcidexError } from '../domain/errors.js';

/** Docker Hub's name in references and the host that serves its API. */
const DOCKER_HUB_NAMES: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** `host[:port]`: DNS name, IPv4 or bracketed IPv6, optional port. */
export const REGISTRY_HOST_PATTERN =
  /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:.]+\])(?::\d{1,5})?$/;

/** `text` as shown in messages: a leading userinfo (`user:password@`) never is. */
export function shown(registry: string): string {
  return registry.replace(/^(?:[a-z]+:\/\/)?[^/]*@/i, '<userinfo removed>@').slice(0, 200);
}

function invalidRegistry(registry: string, cause?: unknown): OcidexError {
  return new OcidexError('invalid_reference', `invalid registry: ${shown(registry)}`, {}, { cause });
}

interface ParsedRegistry {
  scheme: 'http' | 'https' | undefined;
  /** `host[:port]` as written, lower case (a URL would drop a port equal to the default). */
  host: string;
  hostname: string;
}

function parseRegistry(registry: string): ParsedRegistry {
  const match = /^(https?):\/\//i.exec(registry.trim());
  const scheme = match?.[1]?.toLowerCase() as 'http' | 'https' | undefined;
  const rest = match ? registry.trim().slice(match[0].length) : registry.trim();
  const host = rest.split('/')[0] ?? '';
  if (!REGISTRY_HOST_PATTERN.test(host)) throw invalidRegistry(registry);
  try {
    const url = new URL(`http://${host}`);
    return { scheme, host: host.toLowerCase(), hostname: url.hostname };
  } catch (error) {
    throw invalidRegistry(registry, error);
  }
}

/** Whether `hostname` (as URL gives it) is a loopback name served over plain HTTP by default. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The canonical `host[:port]` of a registry, as used in references (scheme and path dropped). */
export function canonicalRegistry(registry: string): string {
  return parseRegistry(registry).host;
}

/** `http(s)://host[:port]` of a registry (see module comment for the scheme rules). */
export function resolveBaseUrl(registry: string, plainHttp = false): string {
  const parsed = parseRegistry(registry);
  const chosen = plainHttp ? 'http' : (parsed.scheme ?? (isLoopbackHost(parsed.hostname) ? 'http' : 'https'));
  const host = DOCKER_HUB_NAMES.has(parsed.host) ? DOCKER_HUB_API_HOST : parsed.host;
  return `${chosen}://${host}`;
}

/** Whether `registry` names Docker Hub (its credentials live under `https://index.docker.io/v1/`). */
export function isDockerHub(registry: string): boolean {
  return DOCKER_HUB_NAMES.has(canonicalRegistry(registry));
}
