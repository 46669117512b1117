/**
 * The `trust:` section of ocidex.yaml: files read relative to the file, kept inline; every
 * mistake an operator can make is a clear `invalid_argument` naming the file, field or policy,
 * before any signature is judged with it. And `GET /v1/trust-policies` shows what is in force.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trustHash } from '../../../src/config/trust-policies.js';
import { applyTrustPolicies } from '../../../src/crawl/trust-update.js';
import { OcidexError } from '../../../src/domain/errors.js';
import { loadConfigFile } from '../../../src/runtime/index.js';
import { keyId } from '../../../src/verify/policy-summary.js';
import { apiFixture, body } from '../api/support.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ocidex-trust-config-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const publicKeyPem = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

function write(text: string, files: Record<string, string> = {}): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(directory, name, '..'), { recursive: true });
    writeFileSync(join(directory, name), content);
  }
  const path = join(directory, 'ocidex.yaml');
  writeFileSync(path, text);
  return path;
}

async function failure(text: string, files: Record<string, string> = {}): Promise<OcidexError> {
  const error = await loadConfigFile(write(text, files)).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof OcidexError)) throw new Error(`expected an OcidexError, got ${String(error)}`);
  return error;
}

const KEYS_ONLY = `
trust:
  policies:
    - name: ci
      scope: ["localhost:5000/**"]
      sigstore: { publicKeys: [keys/cosign.pub] }
`;

describe('the trust: section of ocidex.yaml', () => {
  it('reads the files it names, relative to the file, and keeps them inline', async () => {
    const pem = publicKeyPem();
    const file = await loadConfigFile(write(KEYS_ONLY, { 'keys/cosign.pub': pem }));
    expect(file.trust).toEqual([
      {
        name: 'ci',
        scope: ['localhost:5000/**'],
        sigstore: { trustedRoot: null, identities: [], publicKeys: [pem] },
        notation: null,
      },
    ]);
    expect(file.registries).toEqual([]);
  });

  it('a file without trust: has no policies to apply (null), unlike an empty list', async () => {
    expect((await loadConfigFile(write('registries: []\n'))).trust).toBeNull();
    expect((await loadConfigFile(write('trust: { policies: [] }\n'))).trust).toEqual([]);
  });

  it.each([
    [
      'a duplicate policy name',
      `trust:\n  policies:\n    - { name: a, scope: ["**"], notation: { trustStore: ca/, trustedIdentities: ["*"] } }\n    - { name: a, scope: ["**"], notation: { trustStore: ca/, trustedIdentities: ["*"] } }\n`,
      /trust\.policies\[1\]\.name: duplicate policy name 'a'/,
    ],
    [
      'sigstore without a root or keys',
      'trust:\n  policies:\n    - { name: a, scope: ["**"], sigstore: { identities: [] } }\n',
      /sigstore: needs a trustedRoot or publicKeys/,
    ],
    ['an unknown field', 'trust:\n  policies:\n    - { name: a, scope: ["**"], cosign: {} }\n', /trust\.policies\[0\]/],
    [
      'an identity with both subject forms',
      'trust:\n  policies:\n    - { name: a, scope: ["**"], sigstore: { publicKeys: [k.pub], identities: [{ issuer: i, subject: s, subjectRegExp: r }] } }\n',
      /exactly one of subject and subjectRegExp/,
    ],
    ['a missing key file', KEYS_ONLY, /cannot read public key .*keys\/cosign\.pub/],
    [
      'an empty trust store',
      'trust:\n  policies:\n    - { name: a, scope: ["**"], notation: { trustStore: empty/, trustedIdentities: ["*"] } }\n',
      /trust store .*empty holds no \.pem\/\.crt certificate/,
    ],
    [
      'a trusted root that is not JSON',
      'trust:\n  policies:\n    - { name: a, scope: ["**"], sigstore: { trustedRoot: root.json } }\n',
      /trusted root root\.json is not JSON/,
    ],
  ])('refuses %s', async (_what, text, message) => {
    mkdirSync(join(directory, 'empty'), { recursive: true });
    writeFileSync(join(directory, 'root.json'), 'not json');
    const error = await failure(text);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(message);
  });

  it('a key that is no key fails when the policy is put in force, naming the policy, and changes nothing', async () => {
    const fixture = apiFixture();
    try {
      const file = await loadConfigFile(
        write(KEYS_ONLY, { 'keys/cosign.pub': '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n' }),
      );
      expect(() => applyTrustPolicies(fixture.index, file.trust ?? [])).toThrow(/trust policy 'ci'/);
      expect(fixture.index.trustPolicies()).toEqual({ hash: null, policies: [] });
    } finally {
      fixture.cleanup();
    }
  });
});

describe('GET /v1/trust-policies', () => {
  it('shows the policies in force: keys by id, no file contents', async () => {
    const fixture = apiFixture();
    try {
      expect(await body(await fixture.app.request('/v1/trust-policies'))).toEqual({ items: [], hash: null });
      const pem = publicKeyPem();
      const policies = (await loadConfigFile(write(KEYS_ONLY, { 'keys/cosign.pub': pem }))).trust ?? [];
      const update = applyTrustPolicies(fixture.index, policies);
      expect(update.changed).toBe(true);
      expect(applyTrustPolicies(fixture.index, policies).changed).toBe(false);
      const response = await fixture.app.request('/v1/trust-policies');
      expect(response.status).toBe(200);
      const shown = await body(response);
      expect(shown).toEqual({
        hash: trustHash(policies),
        items: [
          {
            name: 'ci',
            scope: ['localhost:5000/**'],
            sigstore: { identities: [], publicKeys: [keyId(pem)], trustedRoot: null },
            notation: null,
          },
        ],
      });
      expect(JSON.stringify(shown)).not.toContain('BEGIN PUBLIC KEY');
      expect(keyId(pem)).toMatch(/^key:sha256:[0-9a-f]{64}$/);
    } finally {
      fixture.cleanup();
    }
  });
});
