/**
 * The bridge worker: holds one PostgreSQL connection (node-postgres) and answers the requests of
 * its synchronous owner (bridge.ts) one at a time. After posting each reply it sets and notifies
 * the shared signal the owner waits on. A session the server ended is replaced by a new one at
 * the next request that allows it (outside a transaction, see BridgeRequest); until then, and for
 * requests inside a transaction, requests fail with the loss.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { BridgeReply, BridgeRequest, BridgeRows, BridgeWorkerData, Sequenced } from './protocol.js';

const data = workerData as BridgeWorkerData & { port: MessagePort };
const signal = new Int32Array(data.signal);

// int8 (counts, ids) and numeric as JavaScript numbers: ids stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1700, (value) => Number(value));

const cursors = new Map<number, Cursor>();
let statementTimeout = 0;
/** The session's plan_cache_mode, as last set (null: unknown, set it before the next statement). */
let planMode: PlanMode | null = null;
type PlanMode = 'force_custom_plan' | 'force_generic_plan';
/** The session: its client, and why it is gone (null while it serves). */
let client: pg.Client;
let gone: Error | null = null;
/** The latest connect attempt; a failed one is reported to the next request only. */
let opening: Promise<void> = open();

/** Starts a new session (the old one, if any, is left to end). */
function open(): Promise<void> {
  cursors.clear();
  statementTimeout = 0;
  planMode = null;
  const next = new pg.Client({
    connectionString: data.url,
    application_name: data.applicationName,
    connectionTimeoutMillis: 10_000,
  });
  client = next;
  gone = null;
  // A connection the server ends (between requests or during one): the session is gone.
  const lose = (error: Error) => {
    if (client === next) gone ??= error;
  };
  next.on('error', lose);
  next.on('end', () => lose(new Error('the server closed the connection')));
  return connect(next).catch((error: Error) => {
    lose(error);
    throw error;
  });
}

async function connect(next: pg.Client): Promise<void> {
  await next.connect();
  // Statements run as named prepared statements. After five runs PostgreSQL may switch one to a
  // generic plan, made without the bound values: the engine's filters are values whose
  // selectivity differs a thousandfold, and a generic plan of a sort by a path sorts every row
  // of the path (a top-1 query at 100k documents: 1 ms custom, 700-1,100 ms generic). Planning
  // each run costs well under a millisecond.
  // Statements whose plan does not depend on their values ask for a generic plan (`generic`):
  // planned once per session, see planFor.
  await next.query('SET plan_cache_mode = force_custom_plan');
  planMode = 'force_custom_plan';
  // The engine's statements are index lookups cut short by LIMIT or a driving set: starting
  // parallel workers costs more than such a statement (4-6 ms of a 6 ms top-1 query at 100k).
  await next.query('SET max_parallel_workers_per_gather = 0');
  if (data.readonly) await next.query('SET default_transaction_read_only = on');
}

/**
 * The live client for `request`: a session that is gone is replaced when the request allows it
 * (see BridgeRequest), else the request fails with the loss.
 */
async function session(request: BridgeRequest): Promise<pg.Client> {
  const attempt = opening;
  opening = Promise.resolve();
  await attempt;
  if (gone === null) return client;
  if (!reconnects(request)) {
    throw Object.assign(new Error(gone.message), { code: 'lost' });
  }
  const old = client;
  await open();
  old.end().catch(() => {});
  return client;
}

function rowsOf(result: { fields: Array<{ name: string }>; rows: unknown[][]; rowCount: number | null }): BridgeRows {
  return { columns: result.fields.map((field) => field.name), rows: result.rows, rowCount: result.rowCount ?? 0 };
}

async function query(client: pg.Client, request: Extract<BridgeRequest, { op: 'query' }>): Promise<BridgeRows> {
  const timeout = Math.max(0, Math.ceil(request.timeoutMs ?? 0));
  if (timeout !== statementTimeout) {
    await client.query(`SET statement_timeout = ${timeout}`);
    statementTimeout = timeout;
  }
  await planFor(client, request.generic === true ? 'force_generic_plan' : 'force_custom_plan');
  const config = { text: request.sql, values: request.params, rowMode: 'array' as const };
  const result = await client.query(request.name === undefined ? config : { ...config, name: request.name });
  return rowsOf(result as never);
}

/**
 * Sets the session's plan_cache_mode to `mode` when it is not (a server round trip from this
 * thread, no more: the owner waits once). A ROLLBACK may undo a SET made in its transaction, so
 * the mode is unknown after one (see answer).
 */
async function planFor(client: pg.Client, mode: PlanMode): Promise<void> {
  if (planMode === mode) return;
  planMode = null;
  await client.query(`SET plan_cache_mode = ${mode}`);
  planMode = mode;
}

async function cursorRead(id: number, count: number): Promise<BridgeRows> {
  const cursor = cursors.get(id);
  if (cursor === undefined) throw new Error(`no open cursor ${id}`);
  const rows = (await cursor.read(count)) as unknown[][];
  const columns = ((cursor as unknown as { _result?: { fields?: Array<{ name: string }> } })._result?.fields ?? []).map(
    (field) => field.name,
  );
  return { columns, rows, rowCount: rows.length };
}

async function answer(request: BridgeRequest): Promise<BridgeRows | null> {
  switch (request.op) {
    case 'query':
      return retried(request, (live) => query(live, request));
    case 'exec':
      return retried(request, async (live) => {
        if (/rollback/i.test(request.sql)) planMode = null;
        await live.query(request.sql);
        return null;
      });
    case 'cursor-open': {
      const live = await session(request);
      await planFor(live, 'force_custom_plan');
      cursors.set(request.id, live.query(new Cursor(request.sql, request.params, { rowMode: 'array' })));
      return null;
    }
    case 'cursor-read':
      return cursorRead(request.id, request.count);
    case 'cursor-close':
      await cursors.get(request.id)?.close();
      cursors.delete(request.id);
      return null;
    case 'close':
      await opening.catch(() => {});
      await client.end();
      return null;
  }
}

/**
 * Runs `work` on the live session; when the request may reconnect and the session was lost under
 * it (the server ended it before the request reached it, or while it ran: PostgreSQL then rolls
 * its statement back), runs it once more on a new session. Outside a transaction only: the
 * store writes in transactions, whose COMMIT is never run again.
 */
async function retried(request: BridgeRequest, work: (live: pg.Client) => Promise<BridgeRows | null>) {
  const live = await session(request);
  try {
    return await work(live);
  } catch (error) {
    if (!(reconnects(request) && sessionLost(error))) throw error;
    if (client === live) gone ??= error as Error;
    return work(await session(request));
  }
}

function reconnects(request: BridgeRequest): boolean {
  return 'reconnect' in request && request.reconnect === true;
}

/** PostgreSQL's SQLSTATE of an error, when the server said it. */
function sqlstateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A connection failure (no SQLSTATE), a connection exception (08) or the server ending the session (57P01-57P03). */
function sessionLost(error: unknown): boolean {
  const sqlstate = sqlstateOf(error);
  return sqlstate === undefined || /^(08|57P0[123])/.test(sqlstate);
}

function reply(message: BridgeReply): void {
  data.port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

data.port.on('message', (request: Sequenced<BridgeRequest>) => {
  const { seq } = request;
  answer(request).then(
    (result) => reply({ seq, ok: true, result }),
    (error: Error) => {
      const sqlstate = sqlstateOf(error);
      reply({ seq, ok: false, error: { message: error.message, sqlstate, connection: sqlstate === undefined } });
    },
  );
});
