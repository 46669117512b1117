/**
 * Schemas of registry configurations, shared by the API (request bodies, `/openapi.json`) and the
 * config file of either mode. Objects are strict: an unknown field is refused, and a
 * field that would carry a secret (`password`, `token`, ...) is refused with a message naming
 * the `*Env` field to use instead. Messages never repeat the values sent.
 */
import { z } from '@hono/zod-openapi';
import { envNameProblem, secretFileProblem, type CredentialPolicy } from '../registry/credential-sources.js';
import { canonicalRegistry } from '../registry/index.js';
import type { RegistryConfig, RegistryPatch } from '../domain/registry.js';

/** Fields that would hold a secret, and what to send instead. */
const SECRET_FIELDS: Record<string, string> = {
  password: 'credentials.passwordEnv',
  token: 'credentials.passwordEnv',
  secret: 'credentials.passwordEnv',
  auth: 'credentials.passwordEnv',
  identitytoken: 'credentials.passwordEnv',
  username: 'credentials.usernameEnv',
};

/** Zod error customizer of strict objects: explains secret fields, lists other unknown ones. */
function unknownFields(issue: { code?: string; keys?: string[] }): string | undefined {
  if (issue.code !== 'unrecognized_keys' || issue.keys === undefined) return undefined;
  const secret = issue.keys.find((key) => SECRET_FIELDS[key.toLowerCase()] !== undefined);
  if (secret !== undefined) {
    const instead = SECRET_FIELDS[secret.toLowerCase()];
    return (
      `field '${secret}' is not accepted: secrets are never stored by the API; ` +
      `put the value in an environment variable of the crawler and give its name in ${instead}`
    );
  }
  return `unknown field(s): ${issue.keys.join(', ')}`;
}

const strict = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape, { error: unknownFields });

/** A registry id. */
export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a slug: lower-case letters, digits and hyphens')
  .openapi({ example: 'internal' });

const UrlSchema = z
  .string()
  .max(300)
  .refine((url) => !url.includes('@') && isRegistryUrl(url), {
    message: 'must be host[:port] or http(s)://host[:port], without credentials (use credentials.*Env)',
  })
  .openapi({ example: 'https://registry.example.com' });

const EnvNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name');

/** Cron: 5 or 6 fields of digits, names and `* / , - ? L W #`. */
const CronSchema = z
  .string()
  .regex(/^\s*[\w*/,?#-]+(\s+[\w*/,?#-]+){4,5}\s*$/, 'must be a cron expression of 5 or 6 fields')
  .openapi({ example: '0 */6 * * *' });

const CredentialsSchema = strict({
  usernameEnv: EnvNameSchema.optional(),
  passwordEnv: EnvNameSchema.optional(),
  passwordFile: z.string().min(1).max(255).optional(),
  dockerConfig: z.boolean().optional(),
}).openapi('RegistryCredentials', { description: 'Names of environment variables, never their values.' });

const globs = z.array(z.string().min(1).max(256)).max(100);

const fields = {
  url: UrlSchema,
  plainHttp: z.boolean(),
  credentials: CredentialsSchema,
  repositories: z.array(z.string().min(1).max(255)).max(1000),
  include: globs,
  exclude: globs,
  schedule: CronSchema.nullable(),
  concurrency: z.number().int().min(1).max(64),
  rateLimit: z.number().positive().max(10_000).openapi({ description: 'Requests per second.' }),
  eventSecretEnv: EnvNameSchema.openapi({ description: "Variable holding this registry's event secret." }),
};

export const RegistryConfigSchema = strict({
  id: SlugSchema,
  url: fields.url,
  plainHttp: fields.plainHttp.optional(),
  credentials: fields.credentials.optional(),
  repositories: fields.repositories.optional(),
  include: fields.include.optional(),
  exclude: fields.exclude.optional(),
  schedule: fields.schedule.optional(),
  concurrency: fields.concurrency.optional(),
  rateLimit: fields.rateLimit.optional(),
  eventSecretEnv: fields.eventSecretEnv.optional(),
}).openapi('Registry');

/** JSON merge patch of a registry: null removes a field. */
export const RegistryPatchSchema = strict({
  url: fields.url.optional(),
  plainHttp: fields.plainHttp.nullable().optional(),
  credentials: fields.credentials.nullable().optional(),
  repositories: fields.repositories.nullable().optional(),
  include: fields.include.nullable().optional(),
  exclude: fields.exclude.nullable().optional(),
  schedule: fields.schedule.optional(),
  concurrency: fields.concurrency.nullable().optional(),
  rateLimit: fields.rateLimit.nullable().optional(),
  eventSecretEnv: fields.eventSecretEnv.nullable().optional(),
}).openapi('RegistryPatch');

function isRegistryUrl(url: string): boolean {
  try {
    canonicalRegistry(url);
    return /^(https?:\/\/)?[^/]+\/?$/i.test(url);
  } catch {
    return false;
  }
}

/**
 * A stored registry as served: only the known fields, credentials as variable names. A store
 * that kept anything else (a secret by mistake) does not get it echoed.
 */
export function shownRegistry(config: RegistryConfig): RegistryConfig {
  const shown: RegistryConfig = { id: config.id, url: config.url };
  const { credentials } = config;
  if (config.plainHttp !== undefined) shown.plainHttp = config.plainHttp;
  if (credentials !== undefined) {
    shown.credentials = {};
    if (credentials.usernameEnv !== undefined) shown.credentials.usernameEnv = credentials.usernameEnv;
    if (credentials.passwordEnv !== undefined) shown.credentials.passwordEnv = credentials.passwordEnv;
    if (credentials.passwordFile !== undefined) shown.credentials.passwordFile = credentials.passwordFile;
    if (credentials.dockerConfig !== undefined) shown.credentials.dockerConfig = credentials.dockerConfig;
  }
  for (const key of ['repositories', 'include', 'exclude'] as const) {
    if (config[key] !== undefined) shown[key] = [...(config[key] ?? [])];
  }
  if (config.schedule !== undefined) shown.schedule = config.schedule;
  if (config.concurrency !== undefined) shown.concurrency = config.concurrency;
  if (config.rateLimit !== undefined) shown.rateLimit = config.rateLimit;
  if (config.eventSecretEnv !== undefined) shown.eventSecretEnv = config.eventSecretEnv;
  return shown;
}

/** Which secret sources a configuration (or patch) names, by field. */
type SecretSource = [field: string, kind: 'env' | 'file', value: string];

function secretSources(config: Pick<RegistryPatch, 'credentials' | 'eventSecretEnv'>): SecretSource[] {
  const { usernameEnv, passwordEnv, passwordFile } = config.credentials ?? {};
  const sources: Array<[string, 'env' | 'file', string | undefined | null]> = [
    ['credentials.usernameEnv', 'env', usernameEnv],
    ['credentials.passwordEnv', 'env', passwordEnv],
    ['credentials.passwordFile', 'file', passwordFile],
    ['eventSecretEnv', 'env', config.eventSecretEnv],
  ];
  return sources.filter((source): source is SecretSource => typeof source[2] === 'string');
}

/**
 * The first secret source of `config` the operator's `policy` does not allow, as `field: rule`
 * (the API answers 400 with it, the config file names it), or null. One password source only.
 */
export function credentialSourceProblem(
  config: Pick<RegistryPatch, 'credentials' | 'eventSecretEnv'>,
  policy: CredentialPolicy,
): string | null {
  const { passwordEnv, passwordFile } = config.credentials ?? {};
  if (passwordEnv != null && passwordFile != null) {
    return 'credentials: give passwordEnv or passwordFile, not both';
  }
  for (const [field, kind, value] of secretSources(config)) {
    const problem = kind === 'env' ? envNameProblem(value, policy) : secretFileProblem(value, policy);
    if (problem !== null) return `${field}: ${problem}`;
  }
  return null;
}
