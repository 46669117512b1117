/** Sessions of the tests' PostgreSQL stores: which backend serves one, and ending it as the server would. */
import type { IndexStore } from '../../../src/store/index.js';

/** The server process of the store's session. */
export function backendPid(store: IndexStore): number {
  return store.db.prepare<[], number>('SELECT pg_backend_pid()').pluck().get() as number;
}

/** Ends session `pid` from `through`'s session and waits until its backend has exited. */
export function terminateSession(through: IndexStore, pid: number): void {
  const ended = through.db.prepare<[number], boolean>('SELECT pg_terminate_backend(?, 10000)').pluck().get(pid);
  if (ended !== true) throw new Error(`session ${pid} did not end`);
}
