/** A clock the test moves by hand, with one-shot timers that fire as it passes them. */
import type { Timers } from '../../../src/runtime/index.js';

interface Pending {
  id: number;
  at: number;
  callback: () => void;
}

export class ManualTimers implements Timers {
  time: number;
  readonly #pending: Pending[] = [];
  #nextId = 1;

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.#nextId++, at: this.time + ms, callback };
    this.#pending.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    const position = this.#pending.findIndex((timer) => timer.id === handle);
    if (position >= 0) this.#pending.splice(position, 1);
  }

  /** Timers armed and not fired. */
  get armed(): number {
    return this.#pending.length;
  }

  /** Moves the clock forward by `ms`, firing every timer it passes, earliest first. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.#pending.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.#pending.splice(this.#pending.indexOf(due), 1);
      this.time = due.at;
      due.callback();
    }
    this.time = target;
  }
}
