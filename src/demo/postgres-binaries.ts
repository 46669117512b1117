/**
 * Where the PostgreSQL server binaries are and whom they run as, for the throwaway cluster of
 * `postgres-process.ts`. Debian's `postgresql` package keeps `initdb` and `postgres` in
 * /usr/lib/postgresql/<version>/bin, off PATH (its wrappers on PATH cover the client tools only),
 * and the server refuses to run as root, so a root caller runs it as `nobody`.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { OcidexError } from '../domain/errors.js';
import { isExecutable } from './child-process.js';

/** Debian's layout: one bin directory per installed major version. */
export const DEBIAN_POSTGRESQL_ROOT = '/usr/lib/postgresql';
/** The unprivileged account a root caller runs the server as. */
export const SERVER_ACCOUNT = 'nobody';
const INSTALL_HINT = 'install it with `apt-get install postgresql` (PostgreSQL 15 or later)';
const SERVER_BINARIES = ['initdb', 'postgres'] as const;

const run = promisify(execFile);

/** True when `directory` holds an executable `initdb` and `postgres`. */
function holdsServerBinaries(directory: string): boolean {
  return SERVER_BINARIES.every((name) => isExecutable(join(directory, name)));
}

/** The bin directories under `root`, newest major version first (`15` before `9.6`). */
export function versionedBinDirectories(root = DEBIAN_POSTGRESQL_ROOT): string[] {
  let versions: string[];
  try {
    versions = readdirSync(root).filter((name) => /^\d+(\.\d+)?$/.test(name));
  } catch {
    return [];
  }
  return versions.sort((left, right) => Number(right) - Number(left)).map((version) => join(root, version, 'bin'));
}

/** The first PATH directory holding both server binaries, else the newest Debian one, else null. */
export function findPostgresBinDirectory(root = DEBIAN_POSTGRESQL_ROOT): string | null {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter((entry) => entry !== '');
  return [...onPath, ...versionedBinDirectories(root)].find(holdsServerBinaries) ?? null;
}

/**
 * The directory to run `initdb` and `postgres` from: `given` when set, else as found.
 * @throws OcidexError `unsupported` naming the package to install (tests fail, never skip).
 */
export function resolvePostgresBinDirectory(given?: string): string {
  if (given !== undefined) {
    if (holdsServerBinaries(given)) return given;
    throw new OcidexError('unsupported', `${given} holds no executable initdb and postgres; ${INSTALL_HINT}`);
  }
  const found = findPostgresBinDirectory();
  if (found === null) {
    throw new OcidexError(
      'unsupported',
      `initdb and postgres not found on PATH or in ${DEBIAN_POSTGRESQL_ROOT}/<version>/bin; ${INSTALL_HINT}`,
    );
  }
  return found;
}

/** A numeric user and group to run the server as. */
export interface ServerAccount {
  uid: number;
  gid: number;
}

/**
 * Whom the server runs as: undefined (this process's user) unless this process is root, which
 * PostgreSQL refuses; then `nobody`.
 * @throws OcidexError `unsupported` when root and the account does not exist.
 */
export async function serverAccount(): Promise<ServerAccount | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', SERVER_ACCOUNT]), run('id', ['-g', SERVER_ACCOUNT])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch (error) {
    throw new OcidexError(
      'unsupported',
      `PostgreSQL refuses to run as root and there is no '${SERVER_ACCOUNT}' account to run it as; ` +
        `create one (useradd --system ${SERVER_ACCOUNT}) or run as another user`,
      {},
      { cause: error },
    );
  }
}
