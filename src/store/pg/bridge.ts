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
/** The longest one wait for the signal lasts before the port is looked at again. */
const RECHECK_MS = 20;

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
  #seq = 0;

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

  /** Requests sent so far: each is one round trip through the worker (benchmarks print it per query). */
  get calls(): number {
    return this.#seq;
  }

  /**
   * Sends `request` and blocks until its reply; throws BridgeFailure when it failed. Replies carry
   * the request's number: one left over from an abandoned call is dropped, never taken for this
   * call's (`replyTimeoutMs`: longer for the few statements known to run long). The signal only
   * says "look now"; the port is looked at again every RECHECK_MS, so a reply is found even when
   * the signal and the message reach this thread out of order.
   */
  call(request: BridgeRequest, replyTimeoutMs = REPLY_TIMEOUT_MS): BridgeRows | null {
    if (this.#closed) throw new BridgeFailure({ message: 'connection is closed', connection: true });
    this.#seq += 1;
    const seq = this.#seq;
    Atomics.store(this.#signal, 0, 0);
    this.#port.postMessage({ ...request, seq });
    const deadline = performance.now() + replyTimeoutMs;
    for (;;) {
      const reply = this.#take(seq);
      if (reply !== undefined) {
        if (!reply.ok) throw new BridgeFailure(reply.error);
        return reply.result;
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        this.close();
        throw new BridgeFailure({ message: `no reply from PostgreSQL in ${replyTimeoutMs} ms`, connection: true });
      }
      Atomics.wait(this.#signal, 0, 0, Math.min(left, RECHECK_MS));
      Atomics.store(this.#signal, 0, 0);
    }
  }

  /** The reply numbered `seq` if it has arrived (older replies are dropped on the way). */
  #take(seq: number): BridgeReply | undefined {
    for (;;) {
      const message = receiveMessageOnPort(this.#port)?.message as BridgeReply | undefined;
      if (message === undefined || message.seq === seq) return message;
    }
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
