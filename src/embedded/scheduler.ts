/**
 * Embedded mode's scheduler: one timer per scheduled registry, armed for the next fire time of
 * its cron expression (schedule.ts). A changed schedule re-arms at once; a fired schedule starts
 * a crawl through `fire` and arms the next one. When several processes share the index, each
 * keeps its timers and asks `mayFire` before firing, so only the leader (leadership.ts) starts
 * the crawl. Queue mode uses BullMQ job schedulers instead.
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
  /** Asked when a schedule is due: false skips this fire (another process leads). Default: always fire. */
  mayFire?: () => boolean;
}

/** Fires `fire(registryId)` on each registry's schedule. */
export class Scheduler {
  readonly #entries = new Map<string, Entry>();
  readonly #fire: (registryId: string) => Promise<unknown>;
  readonly #timers: Timers;
  readonly #logger: ServiceLogger;
  readonly #mayFire: () => boolean;
  #stopped = false;

  constructor(fire: (registryId: string) => Promise<unknown>, options: SchedulerOptions = {}) {
    this.#fire = fire;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? silentLogger;
    this.#mayFire = options.mayFire ?? (() => true);
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

  /** Makes the schedules equal `schedules` (registry id -> expression): registries not in it have none. */
  setAll(schedules: ReadonlyMap<string, string | null | undefined>): void {
    for (const registryId of [...this.#entries.keys()]) if (!schedules.has(registryId)) this.#clear(registryId);
    for (const [registryId, expression] of schedules) this.set(registryId, expression);
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
      if (this.#mayFire()) this.#start(registryId, entry.next);
      entry.next = nextFireTime(entry.expression, Math.max(now, entry.next));
    }
    this.#arm(registryId, entry);
  }

  #start(registryId: string, at: number): void {
    this.#logger.info('schedule fired', { registry: registryId, at: new Date(at).toISOString() });
    this.#fire(registryId).catch((error: unknown) =>
      this.#logger.error('scheduled crawl not started', { registry: registryId, error: errorField(error) }),
    );
  }
}
