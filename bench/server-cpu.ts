/**
 * CPU time, the figure a busy machine distorts least (wall time on a shared 2-core machine mostly
 * measures the other processes): this process's (both threads of a PostgreSQL connection
 * included), and the PostgreSQL server process serving a connection, read from /proc when the
 * server runs on this machine (a throwaway benchmark server does; a `--pg-url` elsewhere does not).
 */
import { readFileSync } from 'node:fs';
import type { SqlDatabase } from '../src/store/index.js';

/** Clock ticks per second of /proc's utime and stime (Linux: USER_HZ, 100 everywhere in practice). */
const TICKS_PER_SECOND = 100;

/** This process's CPU time so far, in ms. */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** What reads the CPU time (ms) of the server process of `db`'s session; null on SQLite or without /proc. */
export function serverCpuOf(db: SqlDatabase): (() => number) | null {
  if (db.dialect !== 'postgres') return null;
  const pid = db.prepare<[], number>('SELECT pg_backend_pid()').pluck().get();
  const read = () => {
    // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  };
  try {
    read();
    return read;
  } catch {
    return null;
  }
}
