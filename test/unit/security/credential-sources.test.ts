/**
 * Finding 4 of issue 11: `credentials.passwordEnv` accepted any variable name, so an admin could
 * have OCIDEX_ADMIN_TOKEN sent to a registry of their choosing. Names must now start with the
 * operator's prefix, files must lie in the operator's secrets directory.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialPolicyFromEnv } from '../../../src/registry/credential-sources.js';
import { clientOptions } from '../../../src/runtime/registry-clients.js';
import { parseConfig } from '../../../src/runtime/config-file.js';
import { ADMIN_TOKEN, apiFixture, bearer, errorOf, type ApiFixture } from '../api/support.js';

let directory: string;
let fixture: ApiFixture | undefined;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ocidex-secrets-'));
});
afterEach(() => {
  fixture?.cleanup();
  fixture = undefined;
  rmSync(directory, { recursive: true, force: true });
});

const post = (app: ApiFixture['app'], payload: unknown) =>
  app.request('/v1/registries', { method: 'POST', headers: bearer(ADMIN_TOKEN, true), body: JSON.stringify(payload) });

describe('credential sources the operator chooses (finding 4)', () => {
  it('regression: the API stored passwordEnv OCIDEX_ADMIN_TOKEN; it answers 400 naming the rule', async () => {
    fixture = apiFixture({
      adminToken: ADMIN_TOKEN,
      credentialPolicy: { envPrefix: 'OCIDEX_CRED_', secretsDir: null },
    });
    for (const credentials of [
      { passwordEnv: 'OCIDEX_ADMIN_TOKEN' },
      { usernameEnv: 'HOME', passwordEnv: 'OCIDEX_CRED_X' },
    ]) {
      const response = await post(fixture.app, { id: 'capture', url: 'capture.example.com', credentials });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toMatch(/body\.credentials\.\w+Env: .* must start with OCIDEX_CRED_/);
    }
    const patch = await fixture.app.request('/v1/registries/local', {
      method: 'PATCH',
      headers: bearer(ADMIN_TOKEN, true),
      body: JSON.stringify({ eventSecretEnv: 'OCIDEX_READ_TOKEN' }),
    });
    expect(patch.status).toBe(400);
    expect(fixture.registries.configs.has('capture')).toBe(false);
    const allowed = await post(fixture.app, {
      id: 'ok',
      url: 'ok.example.com',
      credentials: { passwordEnv: 'OCIDEX_CRED_OK' },
    });
    expect(allowed.status).toBe(201);
  });

  it('refuses passwordFile without a secrets directory, and with .. or an absolute path', async () => {
    fixture = apiFixture({
      adminToken: ADMIN_TOKEN,
      credentialPolicy: { envPrefix: 'OCIDEX_CRED_', secretsDir: null },
    });
    const none = await post(fixture.app, { id: 'f', url: 'f.example.com', credentials: { passwordFile: 'token' } });
    expect((await errorOf(none)).message).toMatch(/no secrets directory is configured .*OCIDEX_SECRETS_DIR/);
    const policy = { envPrefix: 'OCIDEX_CRED_', secretsDir: directory };
    for (const file of ['../etc/passwd', '/etc/passwd', 'a/../../b']) {
      expect(() =>
        parseConfig(
          'ocidex.yaml',
          `registries:\n  - { id: f, url: f.test, credentials: { passwordFile: "${file}" } }\n`,
          policy,
        ),
      ).toThrow(/ocidex\.yaml: registries\[0\]\.credentials\.passwordFile: .*relative to the secrets directory/);
    }
  });

  it('reads a secret file inside the directory and refuses a symlink out of it', () => {
    const secrets = join(directory, 'secrets');
    mkdirSync(secrets);
    writeFileSync(join(secrets, 'token'), 'file-secret-value\n');
    writeFileSync(join(directory, 'outside'), 'outside-secret');
    symlinkSync(join(directory, 'outside'), join(secrets, 'escape'));
    const env = { OCIDEX_SECRETS_DIR: secrets };
    const config = (passwordFile: string) => ({ id: 'r', url: 'r.test', credentials: { passwordFile } });
    expect(clientOptions(config('token'), env).credentials).toEqual({ registryToken: 'file-secret-value' });
    expect(() => clientOptions(config('escape'), env)).toThrow(
      /passwordFile 'escape' resolves outside the secrets directory/,
    );
  });

  it('refuses at crawl time a stored configuration naming another variable, and reads prefixed ones', () => {
    const env = {
      OCIDEX_ADMIN_TOKEN: 'admin',
      OCIDEX_CRED_USER: 'alice',
      OCIDEX_CRED_PASS: 'pw',
      OCIDEX_CREDENTIAL_ENV_PREFIX: 'OCIDEX_CRED_',
    };
    expect(() =>
      clientOptions({ id: 'r', url: 'r.test', credentials: { passwordEnv: 'OCIDEX_ADMIN_TOKEN' } }, env),
    ).toThrow(/registry 'r': environment variable 'OCIDEX_ADMIN_TOKEN' is not allowed/);
    const options = clientOptions(
      { id: 'r', url: 'r.test', credentials: { usernameEnv: 'OCIDEX_CRED_USER', passwordEnv: 'OCIDEX_CRED_PASS' } },
      env,
    );
    expect(options.credentials).toEqual({ username: 'alice', password: 'pw' });
    expect(credentialPolicyFromEnv({ OCIDEX_CREDENTIAL_ENV_PREFIX: 'ACME_' }).envPrefix).toBe('ACME_');
  });
});
