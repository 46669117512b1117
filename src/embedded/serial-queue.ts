/**
 * Background work in lanes: tasks with the same key run one after another in arrival order,
 * lanes run side by side, and at most `limit` tasks wait in all (memory stays bounded; the
 * caller is told to try again later, as a registry retries an undelivered notification).
 */
import { OcidexError } from '../domain/errors.js';

/** Lanes of serial tasks with a bound on the tasks pending; see the module comment. */
export class SerialQueue {
  readonly #lanes = new Map<string, Promise<void>>();
  readonly #limit: number;
  readonly #onError: (error: unknown, key: string) => void;
  #pending = 0;
  #closed = false;

  constructor(limit: number, onError: (error: unknown, key: string) => void) {
    this.#limit = limit;
    this.#onError = onError;
  }

  /** Tasks waiting or running. */
  get size(): number {
    return this.#pending;
  }

  /**
   * Queues `task` in lane `key`. Throws `too_many_requests` (transient) when `limit` tasks are
   * pending, `timeout` (transient) once closed.
   */
  enqueue(key: string, task: () => Promise<void>): void {
    if (this.#closed)
      throw new OcidexError('timeout', 'the service is shutting down; try again later', { transient: true });
    if (this.#pending >= this.#limit) {
      throw new OcidexError('too_many_requests', `${this.#pending} events are waiting; try again later`, {
        transient: true,
      });
    }
    this.#pending += 1;
    const previous = this.#lanes.get(key) ?? Promise.resolve();
    const next: Promise<void> = previous
      .then(task)
      .catch((error: unknown) => this.#onError(error, key))
      .finally(() => {
        this.#pending -= 1;
        if (this.#lanes.get(key) === next) this.#lanes.delete(key);
      });
    this.#lanes.set(key, next);
  }

  /** Resolves once every lane is empty. */
  async idle(): Promise<void> {
    while (this.#lanes.size > 0) await Promise.all(this.#lanes.values());
  }

  /** Refuses new tasks and waits for the queued ones. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.idle();
  }
}
