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
}

/** The compose file as docker-compose resolves it: paths absolute, `${VAR:-default}` applied. */
let services: Record<string, Service>;

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
    services = (parse(stdout) as { services: Record<string, Service> }).services;
  });

  it('has the registry, redis, api and worker services, and fetch-only workers to scale out', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'fetcher', 'redis', 'registry', 'worker']);
    expect(service('worker').command).toEqual(['worker', '--db', '/data/ocidex.db', '--roles', 'fetch,write']);
    expect(service('fetcher').command).toEqual(['worker', '--roles', 'fetch']);
    expect(service('fetcher').volumes ?? []).toEqual([]);
  });

  it('builds the api and the worker from the Dockerfile at the repository root', () => {
    for (const name of ['api', 'worker']) {
      const build = service(name).build;
      const context = typeof build === 'string' ? build : build?.context;
      const dockerfile = typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      expect(context, name).toBeDefined();
      expect(resolve(context ?? ''), name).toBe(ROOT);
      expect(existsSync(join(ROOT, dockerfile)), `${name}: ${dockerfile}`).toBe(true);
    }
  });

  it('runs the api as serve and the worker as worker, on Redis and one shared index volume', () => {
    const api = service('api');
    const worker = service('worker');
    expect(command(api)[0]).toBe('serve');
    expect(command(worker)[0]).toBe('worker');
    for (const [name, of] of [
      ['api', api],
      ['worker', worker],
    ] as const) {
      expect(environment(of).REDIS_URL, name).toBe('redis://redis:6379');
      expect(flag(command(of), '--db'), name).toMatch(/^\/data\//);
    }
    const dataVolume = (of: Service) => mounts(of).find((mount) => mount.target === '/data')?.source;
    expect(dataVolume(api)).toBe('index-data');
    expect(dataVolume(worker)).toBe('index-data');
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
    const api = service('api');
    expect(url.port).toBe(flag(command(api), '--port'));
    expect(url.pathname).toBe('/v1/events/distribution');
    expect(endpoint?.headers?.Authorization).toEqual([`Bearer ${environment(api).OCIDEX_EVENT_SECRET}`]);

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
