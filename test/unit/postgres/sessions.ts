/**
 * Sessions of the tests' PostgreSQL stores: several stores on one fresh database (closed and
 * dropped by `closeStores`), which backend serves one, and ending it as the server would.
 */
import { type IndexStore, openIndex } from '../../../src/store/index.js';
import { dropPostgresDatabase, freshPostgresDatabase } from '../../support/backend.js';

const opened: IndexStore[] = [];
const databases: string[] = [];

/** `count` stores on one fresh database. */
export function storesOnOneDatabase(count: number): IndexStore[] {
  const url = freshPostgresDatabase();
  databases.push(url);
  const stores = Array.from({ length: count }, () => openIndex(url));
  opened.push(...stores);
  return stores;
}

/** Closes the stores `storesOnOneDatabase` opened and drops their databases (call after each test). */
export function closeStores(): void {
  for (const store of opened.splice(0)) store.close();
  for (const url of databases.splice(0)) dropPostgresDatabase(url);
}

/** The server process of the store's session. */
export function backendPid(store: IndexStore): number {
  return store.db.prepare<[], number>('SELECT pg_backend_pid()').pluck().get() as number;
}

/** Ends session `pid` from `through`'s session and waits until its backend has exited. */
export function terminateSession(through: IndexStore, pid: number): void {
  const ended = through.db.prepare<[number], boolean>('SELECT pg_terminate_backend(?, 10000)').pluck().get(pid);
  if (ended !== true) throw new Error(`session ${pid} did not end`);
}

/**
 * Waits (up to 10 s) until session `pid` is gone, as seen from `through`'s session: a closed
 * client's backend exits a moment after the client has gone.
 */
export function waitForSessionEnd(through: IndexStore, pid: number): void {
  const statement = through.db.prepare<[number], number>('SELECT count(*) FROM pg_stat_activity WHERE pid = ?');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; Number(statement.pluck().get(pid)) > 0; waited += 10) {
    if (waited >= 10_000) throw new Error(`session ${pid} did not end`);
    Atomics.wait(pause, 0, 0, 10);
  }
}
