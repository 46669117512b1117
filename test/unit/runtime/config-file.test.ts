import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../../src/runtime/index.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ocidex-config-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function write(text: string): string {
  const path = join(directory, 'ocidex.yaml');
  writeFileSync(path, text);
  return path;
}

const failure = (text: string): Promise<unknown> =>
  loadConfigFile(write(text)).then(
    () => null,
    (error: unknown) => error,
  );

describe('loadConfigFile', () => {
  it('reads registries with credentials by variable name, globs, schedule and limits', async () => {
    const path = write(`
registries:
  - id: internal
    url: https://registry.example.com
    credentials: { usernameEnv: OCIDEX_CRED_REGISTRY_USER, passwordEnv: OCIDEX_CRED_REGISTRY_TOKEN }
    include: ["models/**"]
    exclude: ["**/tmp-*"]
    schedule: "*/5 * * * *"
    concurrency: 4
    rateLimit: 20
  - id: local
    url: 127.0.0.1:5000
    repositories: [models/a]
`);
    const file = await loadConfigFile(path);
    expect(file.path).toBe(path);
    expect(file.registries).toEqual([
      {
        id: 'internal',
        url: 'https://registry.example.com',
        credentials: { usernameEnv: 'OCIDEX_CRED_REGISTRY_USER', passwordEnv: 'OCIDEX_CRED_REGISTRY_TOKEN' },
        include: ['models/**'],
        exclude: ['**/tmp-*'],
        schedule: '*/5 * * * *',
        concurrency: 4,
        rateLimit: 20,
      },
      { id: 'local', url: '127.0.0.1:5000', repositories: ['models/a'] },
    ]);
  });

  it('accepts an empty file and an empty list', async () => {
    expect((await loadConfigFile(write(''))).registries).toEqual([]);
    expect((await loadConfigFile(write('registries: []'))).registries).toEqual([]);
  });

  it('names the file and the field of a broken entry', async () => {
    const error = await failure(`registries:\n  - id: ok\n    url: a.test\n  - id: Bad_Id\n    url: b.test\n`);
    expect(error).toMatchObject({ code: 'invalid_argument' });
    expect((error as Error).message).toMatch(/ocidex\.yaml: registries\[1\]\.id: must be a slug/);
  });

  it('refuses a secret, pointing at the *Env field to use', async () => {
    const error = (await failure(
      `registries:\n  - id: a\n    url: a.test\n    credentials: { password: hunter2 }\n`,
    )) as Error;
    expect(error.message).toMatch(/registries\[0\]\.credentials: field 'password' is not accepted.*passwordEnv/);
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses a schedule cron-parser cannot read, and duplicate ids', async () => {
    const cron = (await failure(`registries:\n  - { id: a, url: a.test, schedule: "61 * * * *" }\n`)) as Error;
    expect(cron.message).toMatch(/ocidex\.yaml: registries\[0\]\.schedule: invalid cron expression/);
    const duplicate = (await failure(`registries:\n  - { id: a, url: a.test }\n  - { id: a, url: b.test }\n`)) as Error;
    expect(duplicate.message).toMatch(/registries\[1\]\.id: duplicate registry id 'a'/);
  });

  it('reports YAML syntax errors with the line, unknown top-level fields and a missing file', async () => {
    expect(((await failure('registries:\n  - id: a\n   url: [b\n')) as Error).message).toMatch(
      /ocidex\.yaml:\d+: invalid YAML/,
    );
    expect(((await failure('registry: []\n')) as Error).message).toMatch(
      /ocidex\.yaml: \(top level\): unknown field\(s\): registry/,
    );
    await expect(loadConfigFile(join(directory, 'missing.yaml'))).rejects.toThrow(
      /cannot read config file .*missing\.yaml/,
    );
  });

  it('parses text directly', () => {
    expect(parseConfig('inline.yaml', 'registries:\n  - { id: x, url: x.test, schedule: null }\n')).toEqual([
      { id: 'x', url: 'x.test', schedule: null },
    ]);
  });
});
