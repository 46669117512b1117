/**
 * The PostgreSQL connection after a lost session: the next call outside a transaction runs on a
 * new session; a transaction the loss cut fails as a whole (`index_unavailable`) and the next one
 * works; while the server is down the index is unavailable and not writable, and it is both
 * again once the server is back, without reopening the store.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openIndex, type IndexStore } from '../../../src/store/index.js';
import { AT, modelDocument } from '../../support/documents.js';
import { startPostgres, type RunningPostgres } from '../../support/postgres-process.js';
import { backendPid, closeStores, storesOnOneDatabase, terminateSession } from './sessions.js';

afterEach(closeStores);

describe('a session the server ended', () => {
  it('is replaced at the next call: reads, writes and the readiness probe work on a new session', () => {
    const [store, admin] = storesOnOneDatabase(2) as [IndexStore, IndexStore];
    store.putDocuments([modelDocument('before')]);
    const before = backendPid(store);
    terminateSession(admin, before);
    expect(store.countDocuments()).toBe(1);
    expect(backendPid(store)).not.toBe(before);
    terminateSession(admin, backendPid(store));
    expect(store.putDocuments([modelDocument('after')])).toBe(1);
    terminateSession(admin, backendPid(store));
    expect(store.writable()).toBe(true);
    expect(admin.countDocuments()).toBe(2);
  });

  it('fails the transaction it cut as a whole; the next transaction runs on a new session', () => {
    const [store, admin] = storesOnOneDatabase(2) as [IndexStore, IndexStore];
    const cut = () =>
      store.inBatch(() => {
        store.putDocuments([modelDocument('first-half')]);
        terminateSession(admin, backendPid(store));
        store.putDocuments([modelDocument('second-half')]);
      });
    expect(cut).toThrow(expect.objectContaining({ code: 'index_unavailable' }));
    expect(admin.countDocuments()).toBe(0);
    expect(store.putDocuments([modelDocument('later')])).toBe(1);
    expect(admin.getDocument(modelDocument('later').reference)?.crawledAt).toBe(AT);
  });
});

describe('a server that stops and comes back', () => {
  let server: RunningPostgres;
  let store: IndexStore;

  beforeAll(async () => {
    server = await startPostgres();
    store = openIndex(server.url);
  }, 60_000);

  afterAll(async () => {
    store?.close();
    await server?.stop();
  });

  it('makes the index unavailable and not writable while down, and both again once back', async () => {
    store.putDocuments([modelDocument('kept')]);
    await server.stopServer();
    expect(store.writable()).toBe(false);
    expect(() => store.countDocuments()).toThrow(expect.objectContaining({ code: 'index_unavailable' }));
    expect(store.writable()).toBe(false);
    await server.startServer();
    expect(store.writable()).toBe(true);
    expect(store.countDocuments()).toBe(1);
    expect(store.db.open).toBe(true);
  });
});
