/**
 * Graceful shutdown as a list of steps run in order. Every step runs even when an earlier one
 * throws or times out (a hung crawl must not keep the index open forever); each is logged.
 */
import { errorField, type ServiceLogger } from './logger.js';

export interface ShutdownStep {
  /** What the step does, for the log ("close the HTTP server"). */
  name: string;
  run(): Promise<void> | void;
  /** Give up waiting after this long (the step's work may still finish later). */
  timeoutMs?: number;
}

/** Runs every step in order; resolves with true when all of them succeeded. */
export async function runShutdown(steps: readonly ShutdownStep[], logger: ServiceLogger): Promise<boolean> {
  let clean = true;
  for (const step of steps) {
    const started = performance.now();
    try {
      await withTimeout(
        Promise.resolve().then(() => step.run()),
        step.timeoutMs,
        step.name,
      );
      logger.info(`shutdown: ${step.name}`, { ms: Math.round(performance.now() - started) });
    } catch (error) {
      clean = false;
      logger.error(`shutdown: ${step.name} failed`, { error: errorField(error) });
    }
  }
  return clean;
}

function withTimeout(work: Promise<void>, timeoutMs: number | undefined, name: string): Promise<void> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: gave up after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
