/**
 * htpasswd files for the registry's Basic auth. distribution accepts bcrypt hashes only;
 * cost 5 keeps tests fast (the minimum distribution's bcrypt accepts is 4).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

const BCRYPT_COST = 5;

/** `user:bcrypt-hash` lines for `users` (name -> password). */
export function htpasswdLines(users: Record<string, string>): string {
  return Object.entries(users)
    .map(([name, password]) => `${name}:${bcrypt.hashSync(password, BCRYPT_COST)}\n`)
    .join('');
}

/**
 * Writes an htpasswd file for `users` at `path` (default: a new temp dir's `htpasswd`; the
 * caller removes it) and returns the path.
 */
export async function writeHtpasswd(users: Record<string, string>, path?: string): Promise<string> {
  const target = path ?? join(await mkdtemp(join(tmpdir(), 'ocidex-htpasswd-')), 'htpasswd');
  await writeFile(target, htpasswdLines(users), { mode: 0o600 });
  return target;
}
