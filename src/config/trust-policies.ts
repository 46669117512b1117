/**
 * The `trust:` section of `ocidex.yaml` (the same file `serve`, `crawl` and `verify` read):
 * trust policies as the schema below, their files read once relative to the config file and
 * kept inline, so the stored policies are self-contained and verification never reaches the
 * network for a root of trust.
 *
 * ```yaml
 * trust:
 *   policies:
 *     - name: ci-models
 *       scope: ["registry.example.com/models/**"]
 *       sigstore:
 *         trustedRoot: trusted_root.json
 *         identities: [{ issuer: "https://token.actions.githubusercontent.com", subjectRegExp: "^https://github\\.com/acme/" }]
 *         publicKeys: [cosign.pub]
 *       notation:
 *         trustStore: notation-ca/
 *         trustedIdentities: ["x509.subject: C=US, O=Acme, CN=model-signer"]
 * ```
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { OcidexError } from '../domain/errors.js';
import type { TrustPolicy } from '../domain/trust.js';

const Identity = z
  .strictObject({
    issuer: z.string().min(1),
    subject: z.string().min(1).optional(),
    subjectRegExp: z.string().min(1).optional(),
  })
  .refine((identity) => (identity.subject === undefined) !== (identity.subjectRegExp === undefined), {
    message: 'an identity names exactly one of subject and subjectRegExp',
  });

const Policy = z.strictObject({
  name: z.string().min(1).max(100),
  scope: z.array(z.string().min(1)).min(1).max(100),
  sigstore: z
    .strictObject({
      trustedRoot: z.string().min(1).optional(),
      identities: z.array(Identity).max(100).default([]),
      publicKeys: z.array(z.string().min(1)).max(100).default([]),
    })
    .optional(),
  notation: z
    .strictObject({
      trustStore: z.string().min(1),
      trustedIdentities: z.array(z.string().min(1)).min(1).max(100),
    })
    .optional(),
});

/** The `trust:` section as written in the file (paths not read yet). */
export const TrustSectionSchema = z.strictObject({ policies: z.array(Policy).max(100).default([]) });
export type TrustSection = z.infer<typeof TrustSectionSchema>;

/** Files of a trust material above this size are refused (a trusted root is a few KiB). */
const MAX_FILE_BYTES = 1024 * 1024;

async function readText(path: string, what: string): Promise<string> {
  try {
    const info = await stat(path);
    if (info.size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new OcidexError(
      'invalid_argument',
      `cannot read ${what} ${path}: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
}

/** Every certificate file (`.pem`, `.crt`, `.cer`) of a trust store directory, sorted by name. */
async function readTrustStore(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => /\.(?:pem|crt|cer)$/i.test(name)).sort();
  } catch (error) {
    throw new OcidexError(
      'invalid_argument',
      `cannot read trust store ${directory}: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  if (names.length === 0)
    throw new OcidexError('invalid_argument', `trust store ${directory} holds no .pem/.crt certificate`);
  return Promise.all(names.map((name) => readText(join(directory, name), 'trust store certificate')));
}

/** The policies of a parsed section, with their files read relative to `configPath`'s folder. */
export async function loadTrustPolicies(configPath: string, section: TrustSection): Promise<TrustPolicy[]> {
  const base = dirname(resolve(configPath));
  const at = (path: string): string => resolve(base, path);
  return Promise.all(
    section.policies.map(async (policy): Promise<TrustPolicy> => {
      const sigstore =
        policy.sigstore === undefined
          ? null
          : {
              trustedRoot:
                policy.sigstore.trustedRoot === undefined
                  ? null
                  : parseJson(
                      await readText(at(policy.sigstore.trustedRoot), 'trusted root'),
                      policy.sigstore.trustedRoot,
                    ),
              identities: policy.sigstore.identities,
              publicKeys: await Promise.all(policy.sigstore.publicKeys.map((path) => readText(at(path), 'public key'))),
            };
      const notation =
        policy.notation === undefined
          ? null
          : {
              trustStore: await readTrustStore(at(policy.notation.trustStore)),
              trustedIdentities: policy.notation.trustedIdentities,
            };
      return { name: policy.name, scope: policy.scope, sigstore, notation };
    }),
  );
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new OcidexError('invalid_argument', `trusted root ${path} is not JSON`);
  }
}

/** The hash a set of policies is stored under: a change re-verifies stored signatures. */
export function trustHash(policies: readonly TrustPolicy[]): string {
  return createHash('sha256').update(JSON.stringify(policies)).digest('hex');
}
