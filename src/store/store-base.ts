/**
 * What every part of the index store shares: the connection and its prepared statements, the
 * write transaction every write method runs in (one, IMMEDIATE on SQLite; a write inside
 * another joins it), the run keeper, and the operations' probes (writable, leader lock).
 * store.ts (documents, tags, referrers, trust) and store-runs.ts (crawl runs, errors,
 * registry configurations) build on it.
 */
import { type IndexContext, now } from './context.js';
import * as runs from './crawl-runs.js';
import { dialectOf } from './dialect.js';
import { releaseLead, tryLead } from './leader-lock.js';
import { PathInterner } from './paths.js';
import { RunKeeper } from './run-keeper.js';
import type { SqlDatabase } from './sql-port.js';
import { prepareStatements } from './statements.js';
import { writable } from './writable.js';
import { WriteTransactions } from './write-transaction.js';

/** The connection, its statements and its write transactions; see IndexStore. */
export class StoreBase {
  /** The connection, for read-only use by the query engine (doc_values, paths, documents). */
  readonly db: SqlDatabase;
  /** The statements, path interner and dialect the store's modules take. */
  protected readonly context: IndexContext;
  /** Keeps this process's running crawls alive and their ends written (run-keeper.ts). */
  protected readonly runKeeper: RunKeeper;
  readonly #writes: WriteTransactions;

  /** Takes over an open, migrated connection (see `openIndex`). */
  constructor(db: SqlDatabase) {
    this.db = db;
    const statements = prepareStatements(db);
    const paths = new PathInterner(statements);
    this.context = { db, dialect: dialectOf(db.dialect), statements, paths };
    this.#writes = new WriteTransactions(db, paths);
    this.runKeeper = new RunKeeper({
      heartbeat: (owner) => this.write(() => runs.heartbeatRuns(this.context, owner, now())),
      finish: (runId, summary) => this.write(() => runs.finishRun(this.context, runId, summary)),
    });
  }

  /** Closes the connection (after a last try to write run ends that failed). */
  close(): void {
    if (!this.db.open) return;
    this.runKeeper.stop();
    this.db.close();
  }

  /** Runs `work` in one write transaction: the writes it makes join it. */
  inBatch<T>(work: () => T): T {
    return this.write(work);
  }

  /**
   * Whether the index takes writes now (readiness): open, not readonly, and a real write (the
   * schema version set to itself, which rewrites the header) commits. A full disk, a read-only
   * file or `query_only` say false; another writer holding the lock (busy) says true, after a
   * short wait only (a probe must answer fast).
   */
  writable(): boolean {
    return writable(this.db, (work) => this.write(work));
  }

  /**
   * Whether this process leads under `name` among the processes sharing the index, taking the
   * lead when it is free (see leader-lock.ts): on PostgreSQL a session advisory lock, released
   * when this process or its connection goes; on SQLite always true. Throws `index_unavailable`
   * when the database cannot be reached (then nobody can be sure to lead).
   */
  tryLead(name: string): boolean {
    return tryLead(this.db, name);
  }

  /** Gives up the lead under `name` before closing; false when this process did not lead. */
  releaseLead(name: string): boolean {
    return releaseLead(this.db, name);
  }

  /** Runs `work` in the store's write transaction (one, or joins the open one). */
  protected write<T>(work: () => T): T {
    return this.#writes.run(work);
  }
}
