/**
 * Docker credential helpers (`docker-credential-<name> get`, server on stdin, JSON on stdout).
 * A helper that is missing, fails, or answers nonsense means "no credentials", never a crash,
 * and what it printed is never repeated in a message.
 */
import { execFileSync } from 'node:child_process';
import type { Credentials } from './credentials.js';
import { CREDENTIAL_HELPER_TIMEOUT_MS } from './limits.js';

const HELPER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const MAX_HELPER_OUTPUT_BYTES = 1024 * 1024;

/** Docker's marker for an identity token stored in a helper. */
const IDENTITY_TOKEN_USERNAME = '<token>';

/** Credentials for `server` from helper `helper`, or undefined. */
export function runCredentialHelper(helper: string, server: string): Credentials | undefined {
  if (!HELPER_NAME.test(helper)) return undefined;
  let output: string;
  try {
    output = execFileSync(`docker-credential-${helper}`, ['get'], {
      input: server,
      encoding: 'utf8',
      timeout: CREDENTIAL_HELPER_TIMEOUT_MS,
      maxBuffer: MAX_HELPER_OUTPUT_BYTES,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
  return parseHelperOutput(output);
}

/** `{"ServerURL","Username","Secret"}` as credentials. */
export function parseHelperOutput(output: string): Credentials | undefined {
  let reply: { Username?: unknown; Secret?: unknown };
  try {
    reply = JSON.parse(output) as typeof reply;
  } catch {
    return undefined;
  }
  if (typeof reply.Secret !== 'string' || reply.Secret === '') return undefined;
  if (reply.Username === IDENTITY_TOKEN_USERNAME) return { identityToken: reply.Secret };
  if (typeof reply.Username !== 'string' || reply.Username === '') return undefined;
  return { username: reply.Username, password: reply.Secret };
}
