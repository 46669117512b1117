/**
 * A synchronous PostgreSQL connection: a worker thread holds the connection (node-postgres is
 * asynchronous) and this side waits on a shared signal for each reply (`Atomics.wait`, then
 * `receiveMessageOnPort`), so the store and the query engine keep one synchronous code path for
 * both backends, as they have with better-sqlite3. Each call blocks the calling thread for one
 * round trip, as a better-sqlite3 call blocks it for one statement.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { BridgeError, BridgeReply, BridgeRequest, BridgeRows, BridgeWorkerData } from './protocol.js';

/** How long one request may take before the connection is given up (statements have their own timeout). */
const REPLY_TIMEOUT_MS = 120_000;

/** A failed request: PostgreSQL's SQLSTATE when the server answered, `connection` when it did not. */
export class BridgeFailure extends Error {
  constructor(readonly error: BridgeError) {
    super(error.message);
  }
}

/** Where the worker's code is: next to this file, compiled (.js) or, under the tests' loader, .ts. */
function workerFile(): { url: URL; execArgv?: string[] } {
  const typescript = import.meta.url.endsWith('.ts');
  const url = new URL(typescript ? './bridge-worker.ts' : './bridge-worker.js', import.meta.url);
  const loader = process.env['OCIDEX_TS_LOADER'];
  return typescript && loader !== undefined ? { url, execArgv: ['--import', loader] } : { url };
}

/** One connection, one worker. Not shared between threads. */
export class PgBridge {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #signal = new Int32Array(new SharedArrayBuffer(4));
  #closed = false;

  constructor(url: string, options: { readonly: boolean; applicationName: string }) {
    const { port1, port2 } = new MessageChannel();
    const data: BridgeWorkerData & { port: MessagePort } = {
      url,
      signal: this.#signal.buffer as SharedArrayBuffer,
      ...options,
      port: port2,
    };
    const file = workerFile();
    this.#worker = new Worker(file.url, { workerData: data, transferList: [port2], execArgv: file.execArgv ?? [] });
    this.#worker.unref();
    this.#port = port1;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends `request` and blocks until its reply; throws BridgeFailure when it failed. */
  call(request: BridgeRequest): BridgeRows | null {
    if (this.#closed) throw new BridgeFailure({ message: 'connection is closed', connection: true });
    Atomics.store(this.#signal, 0, 0);
    this.#port.postMessage(request);
    if (Atomics.wait(this.#signal, 0, 0, REPLY_TIMEOUT_MS) === 'timed-out') {
      this.close();
      throw new BridgeFailure({ message: `no reply from PostgreSQL in ${REPLY_TIMEOUT_MS} ms`, connection: true });
    }
    const message = receiveMessageOnPort(this.#port)?.message as BridgeReply | undefined;
    if (message === undefined) throw new BridgeFailure({ message: 'the connection worker stopped', connection: true });
    if (!message.ok) throw new BridgeFailure(message.error);
    return message.result;
  }

  /** Ends the session and stops the worker. */
  close(): void {
    if (this.#closed) return;
    try {
      this.call({ op: 'close' });
    } catch {
      // The worker is stopped below either way.
    }
    this.#closed = true;
    this.#port.close();
    void this.#worker.terminate();
  }
}
