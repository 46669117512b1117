/**
 * Runs a real CNCF distribution registry (Debian's `docker-registry`, 2.8) on a random loopback
 * port, for the demo and the integration tests. distribution 2.8 has no referrers API, so it
 * exercises the tag-schema fallback (see /work/shared/FORMATS.md, "Referrers").
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { stringify } from 'yaml';
import { OcidexError } from '../domain/errors.js';
import {
  findExecutable,
  freeLoopbackPort,
  isExecutable,
  spawnCaptured,
  stopProcess,
  waitUntilReady,
  type CapturedProcess,
} from './child-process.js';

/** Where Debian installs the registry binary. */
const DEBIAN_REGISTRY_BINARY = '/usr/bin/docker-registry';
const INSTALL_HINT = 'install it with `apt-get install docker-registry` (CNCF distribution 2.8)';
/** Attempts with a fresh port when the one picked was taken in between. */
const PORT_ATTEMPTS = 5;

export interface RegistryOptions {
  /** Path to an htpasswd file (bcrypt hashes only); enables Basic auth. */
  htpasswd?: string;
  /** Send distribution notifications (push/pull/delete events) to this endpoint. */
  notifications?: { url: string; headers?: Record<string, string> };
  /** Storage root; a temp dir (removed on stop) when absent. A given dir is kept. */
  storageDir?: string;
  /**
   * `filesystem` (default) or `inmemory`: distribution's in-memory driver, lost on stop, about
   * twice as fast to push to (the crawl benchmark's thousands of manifests).
   */
  storage?: 'filesystem' | 'inmemory';
  /** The registry binary; else `docker-registry` on PATH, else /usr/bin/docker-registry. */
  binary?: string;
}

export interface RunningRegistry {
  /** `127.0.0.1:PORT`, as in image references. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The filesystem storage root (created but unused with `storage: 'inmemory'`). */
  storageDir: string;
  /** The registry's process id. */
  pid: number;
  /** Stops the registry (SIGTERM, then SIGKILL) and removes the temp dirs it created. */
  stop(): Promise<void>;
}

/** The registry binary: `docker-registry` on PATH, else /usr/bin/docker-registry, else null. */
export function findRegistryBinary(): string | null {
  return findExecutable('docker-registry', [DEBIAN_REGISTRY_BINARY]);
}

/**
 * Starts a registry and resolves once `GET /v2/` answers (200, or 401 with htpasswd).
 * @throws OcidexError `unsupported` when the binary is missing (never skip: tests must fail).
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const binary = resolveBinary(options.binary);
  const workDir = await mkdtemp(join(tmpdir(), 'ocidex-registry-'));
  const storageDir = options.storageDir ?? join(workDir, 'storage');
  try {
    await mkdir(storageDir, { recursive: true });
    const { server, port } = await launchOnFreePort(binary, workDir, storageDir, options);
    return {
      host: `127.0.0.1:${port}`,
      url: `http://127.0.0.1:${port}`,
      storageDir,
      pid: server.child.pid ?? -1,
      stop: async () => {
        await stopProcess(server);
        await rm(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

function resolveBinary(given: string | undefined): string {
  if (given !== undefined) {
    if (isExecutable(given)) return given;
    throw new OcidexError('unsupported', `registry binary ${given} is missing or not executable; ${INSTALL_HINT}`);
  }
  const found = findRegistryBinary();
  if (found === null) {
    throw new OcidexError(
      'unsupported',
      `docker-registry not found on PATH or at ${DEBIAN_REGISTRY_BINARY}; ${INSTALL_HINT}`,
    );
  }
  return found;
}

async function launchOnFreePort(
  binary: string,
  workDir: string,
  storageDir: string,
  options: RegistryOptions,
): Promise<{ server: CapturedProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    const configPath = join(workDir, 'config.yml');
    await writeFile(configPath, registryConfig(port, storageDir, options));
    const server = spawnCaptured(binary, ['serve', configPath], registryEnvironment());
    try {
      await waitUntilReady(server, () => pingRegistry(port), `docker-registry on port ${port}`);
      return { server, port };
    } catch (error) {
      await stopProcess(server);
      const portTaken = /address already in use/i.test(server.output());
      if (!portTaken || attempt >= PORT_ATTEMPTS) {
        throw new OcidexError('unreachable', (error as Error).message, {}, { cause: error });
      }
    }
  }
}

/** The config.yml of one registry; see distribution's docs/configuration.md. */
export function registryConfig(port: number, storageDir: string, options: RegistryOptions = {}): string {
  const config: Record<string, unknown> = {
    version: '0.1',
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: {
      ...(options.storage === 'inmemory' ? { inmemory: {} } : { filesystem: { rootdirectory: storageDir } }),
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
  };
  if (options.htpasswd !== undefined) {
    config.auth = { htpasswd: { realm: 'ocidex', path: options.htpasswd } };
  }
  if (options.notifications !== undefined) {
    const headers = Object.fromEntries(
      Object.entries(options.notifications.headers ?? {}).map(([name, value]) => [name, [value]]),
    );
    // Short timeout/backoff: a test endpoint that goes away must not stall the registry.
    config.notifications = {
      endpoints: [
        { name: 'ocidex', url: options.notifications.url, headers, timeout: '1s', threshold: 3, backoff: '1s' },
      ],
    };
  }
  return stringify(config);
}

/** The environment without REGISTRY_* variables, which would override the config file. */
function registryEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('REGISTRY_')));
}

async function pingRegistry(port: number): Promise<boolean> {
  const response = await request(`http://127.0.0.1:${port}/v2/`, {
    headersTimeout: 1_000,
    bodyTimeout: 1_000,
    reset: true,
  });
  await response.body.dump();
  return response.statusCode === 200 || response.statusCode === 401;
}
