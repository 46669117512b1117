/** The clock and timers the scheduler uses; tests inject a manual one. */

/** A clock with one-shot timers. */
export interface Timers {
  now(): number;
  /** Calls `callback` after `ms`; the timer must not keep the process alive. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The longest delay `setTimeout` takes (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** The process clock; timers are unref'd so a schedule never keeps the process running. */
export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
