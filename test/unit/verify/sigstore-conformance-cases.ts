/**
 * Reads the Sigstore conformance suite's bundle-verify cases (test/fixtures/sigstore-conformance,
 * Apache-2.0) the way the suite does: `_fail` suffix, `artifact` or `a.txt`, `identity`/`issuer`
 * files or the beacon defaults, `key.pub` instead of an identity, `trusted_root.json` over public-good.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SignedTarget, SigstoreTrust } from '../../../src/verify/sigstore-types.js';

const ROOT = join(import.meta.dirname, '../../fixtures/sigstore-conformance');
const CASES = join(ROOT, 'bundle-verify');
const DEFAULT_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/' +
  'extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

/** One case, ready for `createSigstoreVerifier(trust).verifyBundle(bundle, target)`. */
export interface ConformanceCase {
  name: string;
  shouldFail: boolean;
  /** The parsed bundle, or its raw text when it is not JSON (the malformed-JSON case). */
  bundle: unknown;
  trust: SigstoreTrust;
  target: SignedTarget;
}

/** Every case folder of bundle-verify, sorted by name. */
export function conformanceCases(): ConformanceCase[] {
  return readdirSync(CASES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map(readCase);
}

function readCase(name: string): ConformanceCase {
  const dir = join(CASES, name);
  const optional = (file: string): string | undefined =>
    existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : undefined;
  const artifact = readFileSync(existsSync(join(dir, 'artifact')) ? join(dir, 'artifact') : join(CASES, 'a.txt'));
  const rootFile = existsSync(join(dir, 'trusted_root.json'))
    ? join(dir, 'trusted_root.json')
    : join(ROOT, 'public-good-trusted_root.json');
  const key = optional('key.pub');
  const trust: SigstoreTrust = {
    trustedRoot: JSON.parse(readFileSync(rootFile, 'utf8')),
    identities: key
      ? []
      : [
          {
            subject: optional('identity')?.trim() ?? DEFAULT_IDENTITY,
            issuer: optional('issuer')?.trim() ?? DEFAULT_ISSUER,
          },
        ],
    publicKeys: key ? [key] : [],
  };
  const digest = `sha256:${createHash('sha256').update(artifact).digest('hex')}`;
  const bundle = parseOrText(readFileSync(join(dir, 'bundle.sigstore.json'), 'utf8'));
  return { name, shouldFail: name.endsWith('_fail'), bundle, trust, target: { digest, artifact } };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
