/** Registry credentials from flags and environment; the Docker config is the client's fallback. */
import type { Credentials } from '../registry/index.js';

export interface CredentialOptions {
  username?: string;
  passwordStdin?: boolean;
}

/** `-u USER --password-stdin`, else OCIDEX_USERNAME / OCIDEX_PASSWORD, else undefined. */
export async function readCredentials(
  options: CredentialOptions,
  env: NodeJS.ProcessEnv = process.env,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<Credentials | undefined> {
  const username = options.username ?? env.OCIDEX_USERNAME;
  if (username === undefined || username === '') return undefined;
  const password = options.passwordStdin ? await readAll(stdin) : env.OCIDEX_PASSWORD;
  if (password === undefined) {
    throw new Error(`a username was given but no password: use --password-stdin or OCIDEX_PASSWORD`);
  }
  return { username, password: password.replace(/\r?\n$/, '') };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
