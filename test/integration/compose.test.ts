/**
 * The container setup as docker-compose reads it: `docker-compose config` (no engine needed) on
 * docker-compose.yml, cross-checked with deploy/registry.yml, deploy/ocidex.yaml and the
 * Dockerfile. A missing docker-compose fails the suite: CI installs it (.ci/run).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findExecutable } from '../../src/demo/child-process.js';
import { parseConfig } from '../../src/runtime/config-file.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const run = promisify(execFile);

interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | null> | string[];
  volumes?: Array<string | { type?: string; source?: string; target: string }>;
  ports?: Array<string | { target: number; published?: number | string; host_ip?: string }>;
  networks?: Record<string, { aliases?: string[] } | null>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
}

/** The api replicas, and every service that runs the ocidex image. */
const API_REPLICAS = ['api-1', 'api-2'];
const OCIDEX_SERVICES = [...API_REPLICAS, 'worker', 'fetcher'];

/** The compose file as docker-compose resolves it: paths absolute, `${VAR:-default}` applied. */
let services: Record<string, Service>;
/** Its top-level named volumes. */
let volumes: Record<string, unknown>;

function service(name: string): Service {
  const found = services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function command(of: Service): string[] {
  return typeof of.command === 'string' ? of.command.trim().split(/\s+/) : (of.command ?? []);
}

function environment(of: Service): Record<string, string> {
  const entries = Array.isArray(of.environment)
    ? of.environment.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    : Object.entries(of.environment ?? {});
  return Object.fromEntries(entries.map(([name, value]) => [name, value ?? '']));
}

/** `{source, target}` of each mount; short syntax `source:target[:mode]`. */
function mounts(of: Service): Array<{ source: string; target: string }> {
  return (of.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return { source: volume.source ?? '', target: volume.target };
    const [source = '', target = ''] = volume.split(':');
    return { source, target };
  });
}

/** `depends_on` in its long form (`{service: {condition}}`); the short list form has no conditions. */
function dependsOn(of: Service): Record<string, { condition?: string }> {
  const given = of.depends_on ?? {};
  return Array.isArray(given) ? Object.fromEntries(given.map((name) => [name, {}])) : given;
}

/** The value after `--flag` in a command. */
function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

describe('docker-compose.yml', () => {
  beforeAll(async () => {
    const compose = findExecutable('docker-compose');
    if (compose === null) {
      throw new Error(
        'docker-compose not found on PATH: install it with `apt-get install docker-compose` (.ci/run does)',
      );
    }
    // Without the variables that would override the file's defaults.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !name.startsWith('OCIDEX_') && !name.startsWith('COMPOSE_') && name !== 'REDIS_URL',
      ),
    );
    const { stdout } = await run(compose, ['-f', join(ROOT, 'docker-compose.yml'), 'config'], { cwd: ROOT, env });
    ({ services, volumes = {} } = parse(stdout) as {
      services: Record<string, Service>;
      volumes?: Record<string, unknown>;
    });
  });

  it('has the registry, redis, postgres, two api replicas, the worker and fetch-only workers to scale out', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api-1',
      'api-2',
      'fetcher',
      'postgres',
      'redis',
      'registry',
      'worker',
    ]);
    expect(service('worker').command).toEqual(['worker', '--roles', 'fetch,write']);
    expect(service('fetcher').command).toEqual(['worker', '--roles', 'fetch']);
    expect(service('fetcher').volumes ?? []).toEqual([]);
  });

  it('builds the api replicas and the workers from the Dockerfile at the repository root', () => {
    for (const name of OCIDEX_SERVICES) {
      const build = service(name).build;
      const context = typeof build === 'string' ? build : build?.context;
      const dockerfile = typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      expect(context, name).toBeDefined();
      expect(resolve(context ?? ''), name).toBe(ROOT);
      expect(existsSync(join(ROOT, dockerfile)), `${name}: ${dockerfile}`).toBe(true);
    }
  });

  it('runs every api replica and worker on Redis and the postgres service, with no index file or volume', () => {
    const postgres = environment(service('postgres'));
    const expected = `postgres://${postgres.POSTGRES_USER}:${postgres.POSTGRES_PASSWORD}@postgres:5432/${postgres.POSTGRES_DB}`;
    expect(expected).toBe('postgres://ocidex:ocidex@postgres:5432/ocidex');
    for (const name of OCIDEX_SERVICES) {
      const of = service(name);
      expect(environment(of).REDIS_URL, name).toBe('redis://redis:6379');
      expect(environment(of).OCIDEX_DATABASE_URL, name).toBe(expected);
      expect(flag(command(of), '--db'), name).toBeUndefined();
      expect(
        mounts(of).map((mount) => mount.target),
        name,
      ).not.toContain('/data');
      expect(dependsOn(of).postgres?.condition, name).toBe('service_healthy');
    }
    expect(command(service('api-1'))[0]).toBe('serve');
    expect(command(service('api-2'))).toEqual(command(service('api-1')));
    expect(command(service('worker'))[0]).toBe('worker');
  });

  it('keeps the database on a volume and reports it healthy only once pg_isready accepts', () => {
    const postgres = service('postgres');
    expect(postgres.image).toBe('postgres:16');
    const data = mounts(postgres).find((mount) => mount.target === '/var/lib/postgresql/data');
    expect(data?.source).toBe('postgres-data');
    expect(volumes).toHaveProperty('postgres-data');
    expect(volumes).not.toHaveProperty('index-data');
    const test = postgres.healthcheck?.test ?? [];
    expect((Array.isArray(test) ? test : [test]).join(' ')).toMatch(/\bpg_isready\b/);
  });

  it('publishes each api replica on its own host port, both reachable as `api` inside the stack', () => {
    // docker-compose 1.x prints the short syntax, Compose v2 the long one.
    const published = (port: NonNullable<Service['ports']>[number]) =>
      typeof port === 'string' ? port.split(':').slice(0, -1).join(':') : `${port.host_ip ?? ''}:${port.published}`;
    const hostPorts = API_REPLICAS.map((name) => (service(name).ports ?? []).map(published).join(','));
    expect(hostPorts).not.toContain('');
    expect(new Set(hostPorts).size).toBe(API_REPLICAS.length);
    for (const name of API_REPLICAS) {
      expect(service(name).networks?.default?.aliases, name).toContain('api');
    }
  });

  it('has the registry notify the api with the secret the api expects, for a configured registry', () => {
    const registryMount = mounts(service('registry')).find(
      (mount) => mount.target === '/etc/docker/registry/config.yml',
    );
    expect(registryMount?.source).toBe(join(ROOT, 'deploy/registry.yml'));
    const registryConfig = parse(readFileSync(join(ROOT, 'deploy/registry.yml'), 'utf8')) as {
      storage: { delete?: { enabled?: boolean } };
      notifications: { endpoints: Array<{ url: string; headers?: Record<string, string[]> }> };
    };
    expect(registryConfig.storage.delete?.enabled).toBe(true);
    const endpoint = registryConfig.notifications.endpoints.find(
      (candidate) => new URL(candidate.url).hostname === 'api',
    );
    expect(endpoint, 'a notification endpoint on the api service').toBeDefined();
    const url = new URL(endpoint?.url ?? 'http://invalid');
    // Every replica answers as `api` (the previous test), so each must expect the same port and secret.
    for (const name of API_REPLICAS) {
      const api = service(name);
      expect(url.port, name).toBe(flag(command(api), '--port'));
      expect(endpoint?.headers?.Authorization, name).toEqual([`Bearer ${environment(api).OCIDEX_EVENT_SECRET}`]);
    }
    const api = service('api-1');
    expect(url.pathname).toBe('/v1/events/distribution');

    // `?registry=` names a registry of the api's config file, whose url is the registry service.
    const configMount = mounts(api).find((mount) => mount.target === flag(command(api), '--config'));
    expect(configMount?.source).toBe(join(ROOT, 'deploy/ocidex.yaml'));
    const registries = parseConfig('deploy/ocidex.yaml', readFileSync(join(ROOT, 'deploy/ocidex.yaml'), 'utf8'));
    const configured = registries.find((registry) => registry.id === url.searchParams.get('registry'));
    expect(configured?.url).toBe('registry:5000');
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  /** Instructions of the final stage, continuation lines joined, comments dropped. */
  const finalStage = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .reduce<string[]>((stage, line) => (/^FROM\s/i.test(line) ? [line] : [...stage, line]), []);
  const instruction = (name: string) =>
    finalStage
      .filter((line) => line.toUpperCase().startsWith(`${name} `))
      .map((line) => line.slice(name.length).trim());

  it('runs the final stage as a non-root user', () => {
    const user = instruction('USER').at(-1);
    expect(user, 'a USER in the final stage').toBeDefined();
    expect(user?.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  it('starts the built CLI, with the saved queries next to package.json', () => {
    const entrypoint = JSON.parse(instruction('ENTRYPOINT').at(-1) ?? '[]') as string[];
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint[1]).toMatch(/\/dist\/src\/cli\.js$/);
    const copied = instruction('COPY').join('\n');
    expect(copied).toMatch(/\bpackage\.json\b/);
    expect(copied).toMatch(/\bqueries\b/);
  });
});
