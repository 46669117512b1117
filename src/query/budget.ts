/**
 * The time budget of the running evaluation. Evaluation is synchronous, so one module-level
 * budget is enough; `withBudget` nests (the innermost budget wins, the outer one is restored).
 * The engine checks it between documents; the evaluator ticks inside long evaluations
 * (filter selectors, object visits, regular-expression steps), so one pathological document
 * cannot hang the process either.
 */
import { queryTimeout } from './errors.js';

interface Budget {
  readonly deadline: number;
  readonly timeoutMs: number;
}

/** Ticks between two clock reads: a tick is a counter increment, a clock read ~50 ns. */
const TICKS_PER_CHECK = 256;

let current: Budget | null = null;
let ticks = 0;

/** Runs `work` with a deadline `timeoutMs` from now. */
export function withBudget<T>(timeoutMs: number, work: () => T): T {
  const previous = current;
  current = { deadline: performance.now() + timeoutMs, timeoutMs };
  try {
    return work();
  } finally {
    current = previous;
  }
}

/** Throws `query_timeout` when the current budget is spent. */
export function checkDeadline(): void {
  if (current !== null && performance.now() > current.deadline) throw queryTimeout(current.timeoutMs);
}

/** A unit of work inside an evaluation; reads the clock every TICKS_PER_CHECK ticks. */
export function tick(): void {
  ticks += 1;
  if (ticks % TICKS_PER_CHECK === 0) checkDeadline();
}

/** The running evaluation's whole budget in ms (0 when none): a bound for one database statement. */
export function budgetTimeoutMs(): number {
  return current === null ? 0 : current.timeoutMs;
}
