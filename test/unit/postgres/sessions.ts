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
