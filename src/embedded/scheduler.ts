/**
 * Embedded mode's scheduler: one timer per scheduled registry, armed for the next fire time of
 * its cron expression (schedule.ts). A changed schedule re-arms at once; a fired schedule starts
 * a crawl through `fire` and arms the next one. Queue mode will use BullMQ job schedulers instead.
 */
import { errorField, silentLogger, type ServiceLogger } from '../runtime/logger.js';
import { nextFireTime } from '../runtime/schedule.js';
import { MAX_TIMER_DELAY_MS, systemTimers, type Timers } from '../runtime/timers.js';

interface Entry {
  expression: string;
  /** Epoch ms of the next fire. */
  next: number;
  handle: unknown;
}

export interface SchedulerOptions {
  timers?: Timers;
  logger?: ServiceLogger;
}

/** Fires `fire(registryId)` on each registry's schedule. */
export class Scheduler {
  readonly #entries = new Map<string, Entry>();
  readonly #fire: (registryId: string) => Promise<unknown>;
  readonly #timers: Timers;
  readonly #logger: ServiceLogger;
  #stopped = false;

  constructor(fire: (registryId: string) => Promise<unknown>, options: SchedulerOptions = {}) {
    this.#fire = fire;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Sets the schedule of a registry (null or absent: none); an unchanged expression keeps its timer. */
  set(registryId: string, expression: string | null | undefined): void {
    const current = this.#entries.get(registryId);
    if (current !== undefined && current.expression === expression) return;
    this.#clear(registryId);
    if (expression === null || expression === undefined || this.#stopped) return;
    const next = nextFireTime(expression, this.#timers.now());
    const entry: Entry = { expression, next, handle: null };
    this.#entries.set(registryId, entry);
    this.#arm(registryId, entry);
    this.#logger.info('schedule set', {
      registry: registryId,
      schedule: expression,
      next: new Date(next).toISOString(),
    });
  }

  /** The next fire time of a registry (epoch ms), or null when it has no schedule. */
  nextFire(registryId: string): number | null {
    return this.#entries.get(registryId)?.next ?? null;
  }

  /** Clears every timer; later `set` calls are ignored. */
  stop(): void {
    this.#stopped = true;
    for (const registryId of [...this.#entries.keys()]) this.#clear(registryId);
  }

  #clear(registryId: string): void {
    const entry = this.#entries.get(registryId);
    if (entry === undefined) return;
    this.#timers.clearTimeout(entry.handle);
    this.#entries.delete(registryId);
  }

  #arm(registryId: string, entry: Entry): void {
    const delay = Math.min(Math.max(0, entry.next - this.#timers.now()), MAX_TIMER_DELAY_MS);
    entry.handle = this.#timers.setTimeout(() => this.#due(registryId, entry), delay);
  }

  /** A timer ran out: fire when the time has come (long delays are armed in steps), arm the next. */
  #due(registryId: string, entry: Entry): void {
    if (this.#entries.get(registryId) !== entry) return;
    const now = this.#timers.now();
    if (now >= entry.next) {
      this.#logger.info('schedule fired', { registry: registryId, at: new Date(entry.next).toISOString() });
      this.#fire(registryId).catch((error: unknown) =>
        this.#logger.error('scheduled crawl not started', { registry: registryId, error: errorField(error) }),
      );
      entry.next = nextFireTime(entry.expression, Math.max(now, entry.next));
    }
    this.#arm(registryId, entry);
  }
}
