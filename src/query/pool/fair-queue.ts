/**
 * Admission and fair scheduling of query tasks over a fixed number of workers. A task is
 * refused (`overloaded`) when its client already has `maxPerClient` tasks in flight or when
 * `maxQueued` tasks already wait. A client runs on at most `share` workers at once (by default
 * half of them, at least one): its other tasks wait while tasks of other clients go first, so a
 * client sending only worst-case queries never holds every worker. A waiting task whose signal
 * aborts (its client went away) leaves the queue at once. Pure bookkeeping, no threads.
 */
import { OcidexError } from '../../domain/errors.js';

/** The limits of a FairQueue. */
export interface FairQueueLimits {
  /** Workers: tasks that run at once. */
  slots: number;
  /** Tasks waiting for a worker, over all clients. */
  maxQueued: number;
  /** Tasks of one client in flight (running or waiting). */
  maxPerClient: number;
  /** Workers one client may hold at once. */
  share: number;
}

/** What a refused task's client should wait before retrying. */
export const RETRY_AFTER_MS = 1_000;

/** Gives back the worker a task held; call exactly once. */
export type Release = () => void;

interface Waiter {
  client: string;
  grant: (release: Release) => void;
}

/** The client of a waiting task went away. */
function cancelled(): OcidexError {
  return new OcidexError('aborted', 'the query was cancelled while it waited for a worker');
}

function overloaded(message: string): OcidexError {
  return new OcidexError('overloaded', message, { transient: true, retryAfterMs: RETRY_AFTER_MS });
}

/** Counts tasks per client and hands out workers in arrival order, within each client's share. */
export class FairQueue {
  readonly #waiting: Waiter[] = [];
  readonly #running = new Map<string, number>();
  readonly #inFlight = new Map<string, number>();
  #runningTotal = 0;

  constructor(readonly limits: FairQueueLimits) {}

  /** Tasks running and waiting now. */
  get stats(): { running: number; waiting: number } {
    return { running: this.#runningTotal, waiting: this.#waiting.length };
  }

  /**
   * Resolves with a Release once `client`'s task may run; throws `overloaded` at once when the
   * client is at its cap or the queue is full; rejects with `aborted` when `signal` aborts first.
   */
  acquire(client: string, signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted === true) throw cancelled();
    const inFlight = this.#inFlight.get(client) ?? 0;
    if (inFlight >= this.limits.maxPerClient) {
      throw overloaded(`this client already has ${this.limits.maxPerClient} queries in flight; retry later`);
    }
    if (!this.#mayRun(client) && this.#waiting.length >= this.limits.maxQueued) {
      throw overloaded(`${this.limits.maxQueued} queries are already waiting; retry later`);
    }
    this.#inFlight.set(client, inFlight + 1);
    const granted = new Promise<Release>((grant, reject) => {
      const waiter: Waiter = { client, grant };
      this.#waiting.push(waiter);
      signal?.addEventListener('abort', () => this.#cancel(waiter) && reject(cancelled()), { once: true });
    });
    this.#dispatch();
    return granted;
  }

  /** Takes `waiter` out of the queue; false when it already runs. */
  #cancel(waiter: Waiter): boolean {
    const index = this.#waiting.indexOf(waiter);
    if (index < 0) return false;
    this.#waiting.splice(index, 1);
    decrement(this.#inFlight, waiter.client);
    return true;
  }

  #mayRun(client: string): boolean {
    return this.#runningTotal < this.limits.slots && (this.#running.get(client) ?? 0) < this.limits.share;
  }

  /** Starts waiting tasks, oldest first, while workers are free and their clients within share. */
  #dispatch(): void {
    for (let index = 0; index < this.#waiting.length && this.#runningTotal < this.limits.slots; ) {
      const waiter = this.#waiting[index] as Waiter;
      if (!this.#mayRun(waiter.client)) {
        index += 1;
        continue;
      }
      this.#waiting.splice(index, 1);
      this.#start(waiter);
    }
  }

  #start(waiter: Waiter): void {
    const { client } = waiter;
    this.#runningTotal += 1;
    this.#running.set(client, (this.#running.get(client) ?? 0) + 1);
    let released = false;
    waiter.grant(() => {
      if (released) return;
      released = true;
      this.#runningTotal -= 1;
      decrement(this.#running, client);
      decrement(this.#inFlight, client);
      this.#dispatch();
    });
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const next = (counts.get(key) ?? 0) - 1;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
