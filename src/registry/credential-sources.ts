/**
 * Where a registry configuration may take its secrets from. A configuration names an environment
 * variable or a file, and configurations come from the API: without a rule an admin could name
 * any variable of the server (OCIDEX_ADMIN_TOKEN) or any file, and have it sent to a registry of
 * their choosing. So names must start with the operator's prefix (default `OCIDEX_CRED_`), and
 * files must lie inside the operator's secrets directory (no `..`, no symlink out of it). Both
 * are set by the operator (environment or flags), never through the API.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { OcidexError } from '../domain/errors.js';

/** The operator's rule. */
export interface CredentialPolicy {
  /** Variables a configuration may name start with this. */
  envPrefix: string;
  /** Files a configuration may name live here; null: no files. */
  secretsDir: string | null;
}

export const DEFAULT_CREDENTIAL_ENV_PREFIX = 'OCIDEX_CRED_';
/** Environment variables that set the policy. */
export const CREDENTIAL_ENV_PREFIX_ENV = 'OCIDEX_CREDENTIAL_ENV_PREFIX';
export const SECRETS_DIR_ENV = 'OCIDEX_SECRETS_DIR';

/** Secret files are small; a larger one is a mistake (a key store, a log). */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** The policy from the environment (OCIDEX_CREDENTIAL_ENV_PREFIX, OCIDEX_SECRETS_DIR). */
export function credentialPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): CredentialPolicy {
  const prefix = env[CREDENTIAL_ENV_PREFIX_ENV] || DEFAULT_CREDENTIAL_ENV_PREFIX;
  if (!/^[A-Za-z_][A-Za-z0-9_]{2,63}$/.test(prefix)) {
    const rule = 'must be a variable-name prefix of 3 or more characters';
    throw new OcidexError('invalid_argument', `${CREDENTIAL_ENV_PREFIX_ENV} ${rule}`);
  }
  return { envPrefix: prefix, secretsDir: env[SECRETS_DIR_ENV] || null };
}

/** Why `name` may not be read, or null. */
export function envNameProblem(name: string, policy: CredentialPolicy): string | null {
  if (name.startsWith(policy.envPrefix) && name.length > policy.envPrefix.length) return null;
  return (
    `environment variable '${name.slice(0, 128)}' is not allowed: credential variables must start with ` +
    `${policy.envPrefix} (the operator sets the prefix with ${CREDENTIAL_ENV_PREFIX_ENV})`
  );
}

/** Why `file` may not be read (judged on its text: relative, no `..`), or null. */
export function secretFileProblem(file: string, policy: CredentialPolicy): string | null {
  if (policy.secretsDir === null) {
    return `passwordFile is not allowed: no secrets directory is configured (the operator sets ${SECRETS_DIR_ENV})`;
  }
  const parts = file.split(/[\\/]/);
  if (file === '' || isAbsolute(file) || parts.includes('..') || file.includes('\0')) {
    return `passwordFile '${file.slice(0, 200)}' must be a path relative to the secrets directory, without '..'`;
  }
  return null;
}

/** The value of variable `name`; `invalid_argument` when not allowed or unset. */
export function readSecretEnv(name: string, env: NodeJS.ProcessEnv, policy: CredentialPolicy, owner: string): string {
  const problem = envNameProblem(name, policy);
  if (problem !== null) throw new OcidexError('invalid_argument', `${owner}: ${problem}`);
  const value = env[name];
  if (value === undefined || value === '') {
    throw new OcidexError('invalid_argument', `${owner}: environment variable ${name} is not set`);
  }
  return value;
}

/** The content of secret file `file` (one trailing newline dropped); `invalid_argument` when not allowed. */
export function readSecretFile(file: string, policy: CredentialPolicy, owner: string): string {
  const problem = secretFileProblem(file, policy);
  if (problem !== null || policy.secretsDir === null) throw new OcidexError('invalid_argument', `${owner}: ${problem}`);
  let content: Buffer;
  try {
    const root = realpathSync(policy.secretsDir);
    const real = realpathSync(join(root, file));
    const inside = relative(root, real);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
      const where = 'resolves outside the secrets directory';
      throw new OcidexError('invalid_argument', `${owner}: passwordFile '${file}' ${where}`);
    }
    content = readFileSync(real);
  } catch (error) {
    if (error instanceof OcidexError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const message = `${owner}: cannot read passwordFile '${file}' in the secrets directory (${code})`;
    throw new OcidexError('invalid_argument', message);
  }
  if (content.length > MAX_SECRET_FILE_BYTES) {
    throw new OcidexError('invalid_argument', `${owner}: passwordFile '${file}' is too large`);
  }
  const value = content.toString('utf8').replace(/\r?\n$/, '');
  if (value === '') throw new OcidexError('invalid_argument', `${owner}: passwordFile '${file}' is empty`);
  return value;
}
