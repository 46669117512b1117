/**
 * The bridge worker: holds one PostgreSQL connection (node-postgres) and answers the requests of
 * its synchronous owner (bridge.ts) one at a time. After posting each reply it sets and notifies
 * the shared signal the owner waits on.
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

const client = new pg.Client({
  connectionString: data.url,
  application_name: data.applicationName,
  connectionTimeoutMillis: 10_000,
});
// A connection the server ends between requests: the next request fails with it.
let lost: Error | null = null;
client.on('error', (error) => {
  lost = error;
});
const connected = connect();
const cursors = new Map<number, Cursor>();
let statementTimeout = 0;

async function connect(): Promise<void> {
  await client.connect();
  // Statements run as named prepared statements. After five runs PostgreSQL may switch one to a
  // generic plan, made without the bound values: the engine's filters are values whose
  // selectivity differs a thousandfold, and a generic plan of a sort by a path sorts every row
  // of the path (a top-1 query at 100k documents: 1 ms custom, 700-1,100 ms generic). Planning
  // each run costs well under a millisecond.
  await client.query('SET plan_cache_mode = force_custom_plan');
  if (data.readonly) await client.query('SET default_transaction_read_only = on');
}

function rowsOf(result: { fields: Array<{ name: string }>; rows: unknown[][]; rowCount: number | null }): BridgeRows {
  return { columns: result.fields.map((field) => field.name), rows: result.rows, rowCount: result.rowCount ?? 0 };
}

async function query(request: Extract<BridgeRequest, { op: 'query' }>): Promise<BridgeRows> {
  const timeout = Math.max(0, Math.ceil(request.timeoutMs ?? 0));
  if (timeout !== statementTimeout) {
    await client.query(`SET statement_timeout = ${timeout}`);
    statementTimeout = timeout;
  }
  const config = { text: request.sql, values: request.params, rowMode: 'array' as const };
  const result = await client.query(request.name === undefined ? config : { ...config, name: request.name });
  return rowsOf(result as never);
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
  await connected;
  if (lost !== null && request.op !== 'close') throw Object.assign(new Error(lost.message), { code: 'lost' });
  switch (request.op) {
    case 'query':
      return query(request);
    case 'exec':
      await client.query(request.sql);
      return null;
    case 'cursor-open':
      cursors.set(request.id, client.query(new Cursor(request.sql, request.params, { rowMode: 'array' })));
      return null;
    case 'cursor-read':
      return cursorRead(request.id, request.count);
    case 'cursor-close':
      await cursors.get(request.id)?.close();
      cursors.delete(request.id);
      return null;
    case 'close':
      await client.end();
      return null;
  }
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
    (error: Error & { code?: string }) => {
      const sqlstate = typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) ? error.code : undefined;
      reply({ seq, ok: false, error: { message: error.message, sqlstate, connection: sqlstate === undefined } });
    },
  );
});
