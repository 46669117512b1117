/** The messages between a PostgreSQL connection (main side, synchronous) and its bridge worker. */

/** One request, numbered by its sender (`Sequenced`); the worker answers each with one `BridgeReply` of that number. */
export type Sequenced<T> = T & { seq: number };

/**
 * One request; the worker answers each with one `BridgeReply`, in order. `reconnect`: the owner
 * is outside any transaction, so a session the server ended may be replaced by a new one before
 * this request runs (inside a transaction, the request fails instead: its work would not be atomic).
 */
export type BridgeRequest =
  | {
      op: 'query';
      sql: string;
      params: unknown[];
      name?: string;
      /** Plan once and reuse the plan (a named statement whose plan does not depend on its values). */
      generic?: boolean;
      timeoutMs?: number;
      reconnect?: boolean;
    }
  | { op: 'exec'; sql: string; reconnect?: boolean }
  | { op: 'cursor-open'; id: number; sql: string; params: unknown[]; reconnect?: boolean }
  | { op: 'cursor-read'; id: number; count: number }
  | { op: 'cursor-close'; id: number }
  | { op: 'close' };

/** A row as the worker sends it: column values in the order of `columns`. */
export interface BridgeRows {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
}

/** What went wrong, with PostgreSQL's SQLSTATE when the server said it. */
export interface BridgeError {
  message: string;
  sqlstate?: string;
  /** true when the connection itself failed (not one statement). */
  connection?: boolean;
}

export type BridgeReply = Sequenced<{ ok: true; result: BridgeRows | null } | { ok: false; error: BridgeError }>;

/** What the worker starts with. */
export interface BridgeWorkerData {
  /** The connection string (with its password: never logged, never in an error). */
  url: string;
  /** The signal the worker sets and notifies after each reply. */
  signal: SharedArrayBuffer;
  /** Open the session read only (query workers). */
  readonly: boolean;
  applicationName: string;
}
