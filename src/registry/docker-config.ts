/**
 * Credentials from the Docker config (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`):
 * `credHelpers` for the host, then an `auths` entry (keys `host`, `https://host`,
 * `https://host/v1/`; `auth` = base64 `user:pass`, or `username`/`password`, or
 * `identitytoken`), then `credsStore`. A missing or broken file means no credentials.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runCredentialHelper } from './credential-helper.js';
import type { Credentials } from './credentials.js';
import { canonicalRegistry, isDockerHub } from './scheme.js';

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

/** Where Docker keeps credentials for Docker Hub. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const DOCKER_HUB_KEYS = ['index.docker.io', 'docker.io', 'registry-1.docker.io'];

/** The default config path. */
export function defaultDockerConfigPath(): string {
  const directory = process.env.DOCKER_CONFIG;
  return directory ? join(directory, 'config.json') : join(homedir(), '.docker', 'config.json');
}

/** `https://host/v1/` -> `host` (config keys come in several spellings). */
export function normalizeConfigKey(key: string): string {
  return key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
}

function readConfig(path: string): DockerConfig | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as DockerConfig) : undefined;
  } catch {
    return undefined;
  }
}

function findByHost<T>(record: Record<string, T> | undefined, hosts: readonly string[]): T | undefined {
  if (record === undefined || typeof record !== 'object') return undefined;
  const entry = Object.entries(record).find(([key]) => hosts.includes(normalizeConfigKey(key)));
  return entry?.[1];
}

/** Credentials held inline by an `auths` entry. */
export function entryCredentials(entry: AuthEntry | undefined): Credentials | undefined {
  if (entry === undefined || typeof entry !== 'object') return undefined;
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '')
    return { identityToken: entry.identitytoken };
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && entry.username !== '' && typeof entry.password === 'string') {
    return { username: entry.username, password: entry.password };
  }
  return undefined;
}

/** Credentials for `registry` from the Docker config, or undefined (`configPath` null: never read). */
export function loadDockerCredentials(registry: string, configPath?: string | null): Credentials | undefined {
  if (configPath === null) return undefined;
  const config = readConfig(configPath ?? defaultDockerConfigPath());
  if (config === undefined) return undefined;
  let host: string;
  try {
    host = canonicalRegistry(registry);
  } catch {
    return undefined;
  }
  const hub = isDockerHub(host);
  const hosts = hub ? DOCKER_HUB_KEYS : [host];
  const server = hub ? DOCKER_HUB_SERVER : host;
  const helper = findByHost(config.credHelpers, hosts);
  if (typeof helper === 'string' && helper !== '') return runCredentialHelper(helper, server);
  const inline = entryCredentials(findByHost(config.auths, hosts));
  if (inline !== undefined) return inline;
  const store = config.credsStore;
  if (typeof store === 'string' && store !== '') return runCredentialHelper(store, server);
  return undefined;
}
