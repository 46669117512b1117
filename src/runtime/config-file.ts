/**
 * The service's config file (`ocidex.yaml`): the registries to crawl, validated with the same
 * schema as `POST /v1/registries`, so a file and the API accept exactly the same registries,
 * and the trust policies signatures are verified against (src/config/trust-policies.ts).
 *
 * ```yaml
 * registries:
 *   - id: internal
 *     url: https://registry.example.com
 *     credentials: { usernameEnv: OCIDEX_CRED_USER, passwordEnv: OCIDEX_CRED_TOKEN }
 *     include: ["models/**"]
 *     schedule: "0 *\/6 * * *"
 * ```
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from '@hono/zod-openapi';
import { credentialSourceProblem, RegistryConfigSchema } from '../config/registry-schema.js';
import type { RegistryConfig } from '../domain/registry.js';
import { loadTrustPolicies, TrustSectionSchema, type TrustSection } from '../config/trust-policies.js';
import { OcidexError } from '../domain/errors.js';
import type { TrustPolicy } from '../domain/trust.js';
import { credentialPolicyFromEnv, type CredentialPolicy } from '../registry/credential-sources.js';
import { scheduleProblem } from './schedule.js';

/** What the config file holds. */
export interface ServiceConfigFile {
  /** The file read, for messages. */
  path: string;
  registries: RegistryConfig[];
  /** The trust policies, files read; null when the file has no `trust:` section. */
  trust: TrustPolicy[] | null;
}

const FileSchema = z.strictObject(
  { registries: z.array(RegistryConfigSchema).max(1000).default([]), trust: TrustSectionSchema.optional() },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s): ${issue.keys.join(', ')} (the file holds \`registries:\` and \`trust:\`)`
        : undefined,
  },
);

/**
 * Reads and validates `path`; every problem is an `invalid_argument` naming the file and the field.
 * Secret sources must follow the operator's `policy` (default: from the environment).
 */
export async function loadConfigFile(
  path: string,
  policy: CredentialPolicy = credentialPolicyFromEnv(),
): Promise<ServiceConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new OcidexError(
      'invalid_argument',
      `cannot read config file ${path}: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  const { registries, trust } = parseFile(path, text, policy);
  return { path, registries, trust: trust === undefined ? null : await loadTrustPolicies(path, trust) };
}

/** Parses the registries of a config file's text (see `loadConfigFile`). */
export function parseConfig(
  path: string,
  text: string,
  policy: CredentialPolicy = credentialPolicyFromEnv(),
): RegistryConfig[] {
  return parseFile(path, text, policy).registries;
}

function parseFile(
  path: string,
  text: string,
  policy: CredentialPolicy,
): { registries: RegistryConfig[]; trust: TrustSection | undefined } {
  const document = parseDocument(text, { prettyErrors: true });
  const syntax = document.errors[0];
  if (syntax !== undefined) {
    const line = syntax.linePos?.[0].line;
    // The first line only: the pretty message goes on to quote the file, which may hold secrets.
    const reason = (syntax.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new OcidexError(
      'invalid_argument',
      `${path}${line === undefined ? '' : `:${line}`}: invalid YAML: ${reason}`,
    );
  }
  const result = FileSchema.safeParse(document.toJS() ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw fieldError(path, issue?.path ?? [], issue?.message ?? 'invalid');
  }
  const { registries, trust } = result.data;
  registries.forEach((registry, position) => {
    checkRegistry(path, registries, registry, position, policy);
  });
  trust?.policies.forEach((entry, position, all) => {
    if (all.findIndex((other) => other.name === entry.name) !== position) {
      throw fieldError(path, ['trust', 'policies', position, 'name'], `duplicate policy name '${entry.name}'`);
    }
    if (
      entry.sigstore !== undefined &&
      entry.sigstore.trustedRoot === undefined &&
      entry.sigstore.publicKeys.length === 0
    ) {
      throw fieldError(path, ['trust', 'policies', position, 'sigstore'], 'needs a trustedRoot or publicKeys');
    }
  });
  return { registries, trust };
}

function checkRegistry(
  path: string,
  all: RegistryConfig[],
  registry: RegistryConfig,
  position: number,
  policy: CredentialPolicy,
): void {
  if (all.findIndex((other) => other.id === registry.id) !== position) {
    throw fieldError(path, ['registries', position, 'id'], `duplicate registry id '${registry.id}'`);
  }
  const problem = typeof registry.schedule === 'string' ? scheduleProblem(registry.schedule) : null;
  if (problem !== null) throw fieldError(path, ['registries', position, 'schedule'], problem);
  const sources = credentialSourceProblem(registry, policy);
  if (sources !== null) throw new OcidexError('invalid_argument', `${path}: registries[${position}].${sources}`);
}

/** `ocidex.yaml: registries[0].schedule: message` */
function fieldError(path: string, field: ReadonlyArray<PropertyKey>, message: string): OcidexError {
  const name = field
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
  return new OcidexError('invalid_argument', `${path}: ${name === '' ? '(top level)' : name}: ${message}`);
}
