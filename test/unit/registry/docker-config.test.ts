import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDockerCredentials } from '../../../src/registry/index.js';

let directory: string;
const originalPath = process.env.PATH;
const originalDockerConfig = process.env.DOCKER_CONFIG;

function writeConfig(config: unknown, name = 'config.json'): string {
  const path = join(directory, name);
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config));
  return path;
}

function writeHelper(name: string, script: string): void {
  const path = join(directory, 'bin', `docker-credential-${name}`);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
}

const basic = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'ocidex-docker-config-'));
  mkdirSync(join(directory, 'bin'));
  process.env.PATH = `${join(directory, 'bin')}:${originalPath}`;
  // Echoes the server it was asked about, so the test sees what went to stdin.
  writeHelper(
    'echo',
    'read server\nprintf \'{"ServerURL":"%s","Username":"user-%s","Secret":"pw"}\' "$server" "$server"',
  );
  writeHelper(
    'token',
    'read server\nprintf \'{"ServerURL":"%s","Username":"<token>","Secret":"refresh-1"}\' "$server"',
  );
  writeHelper('fails', 'echo "credentials not found in native keychain" >&2\nexit 1');
  writeHelper('garbage', 'echo not json');
});

afterEach(() => {
  if (originalDockerConfig === undefined) delete process.env.DOCKER_CONFIG;
  else process.env.DOCKER_CONFIG = originalDockerConfig;
});

afterAll(() => {
  process.env.PATH = originalPath;
  rmSync(directory, { recursive: true, force: true });
});

describe('auths', () => {
  it.each([
    ['host:port key', 'registry.example:5000'],
    ['https:// key', 'https://registry.example:5000'],
    ['https:// key with /v1/', 'https://registry.example:5000/v1/'],
  ])('matches a %s', (_name, key) => {
    const path = writeConfig({ auths: { [key]: { auth: basic('alice', 'p:ss') } } });
    expect(loadDockerCredentials('registry.example:5000', path)).toEqual({ username: 'alice', password: 'p:ss' });
  });

  it('does not match another port or host', () => {
    const path = writeConfig({
      auths: { 'registry.example:5001': { auth: basic('a', 'b') }, 'other.example': { auth: basic('a', 'b') } },
    });
    expect(loadDockerCredentials('registry.example:5000', path)).toBeUndefined();
  });

  it('reads username/password fields and identity tokens', () => {
    const path = writeConfig({
      auths: {
        'one.example': { username: 'bob', password: 'pw' },
        'two.example': { auth: basic('carol', ''), identitytoken: 'refresh-xyz' },
      },
    });
    expect(loadDockerCredentials('one.example', path)).toEqual({ username: 'bob', password: 'pw' });
    expect(loadDockerCredentials('two.example', path)).toEqual({ identityToken: 'refresh-xyz' });
  });

  it('finds Docker Hub credentials under https://index.docker.io/v1/', () => {
    const path = writeConfig({ auths: { 'https://index.docker.io/v1/': { auth: basic('hub', 'pw') } } });
    expect(loadDockerCredentials('docker.io', path)).toEqual({ username: 'hub', password: 'pw' });
  });
});

describe('credential helpers', () => {
  it('runs credHelpers for the host with the server on stdin', () => {
    const path = writeConfig({
      credHelpers: { 'registry.example': 'echo' },
      auths: { 'registry.example': { auth: basic('inline', 'x') } },
    });
    expect(loadDockerCredentials('registry.example', path)).toEqual({
      username: 'user-registry.example',
      password: 'pw',
    });
  });

  it('uses credsStore when no inline entry exists, <token> as identity token', () => {
    const path = writeConfig({ credsStore: 'token', auths: { 'registry.example': {} } });
    expect(loadDockerCredentials('registry.example', path)).toEqual({ identityToken: 'refresh-1' });
  });

  it('prefers an inline entry over credsStore', () => {
    const path = writeConfig({ credsStore: 'token', auths: { 'registry.example': { auth: basic('inline', 'x') } } });
    expect(loadDockerCredentials('registry.example', path)).toEqual({ username: 'inline', password: 'x' });
  });

  it.each(['missing-helper', 'fails', 'garbage', '../evil'])('treats helper %s as no credentials', (helper) => {
    const path = writeConfig({ credHelpers: { 'registry.example': helper } });
    expect(loadDockerCredentials('registry.example', path)).toBeUndefined();
  });
});

describe('config file', () => {
  it('returns undefined for a missing or broken file', () => {
    expect(loadDockerCredentials('registry.example', join(directory, 'absent.json'))).toBeUndefined();
    expect(loadDockerCredentials('registry.example', writeConfig('{not json', 'broken.json'))).toBeUndefined();
    expect(loadDockerCredentials('registry.example', writeConfig('null', 'null.json'))).toBeUndefined();
  });

  it('reads $DOCKER_CONFIG/config.json by default, and nothing when the path is null', () => {
    writeConfig({ auths: { 'registry.example': { auth: basic('env', 'pw') } } });
    process.env.DOCKER_CONFIG = directory;
    expect(loadDockerCredentials('registry.example')).toEqual({ username: 'env', password: 'pw' });
    expect(loadDockerCredentials('registry.example', null)).toBeUndefined();
  });
});
