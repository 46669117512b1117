/**
 * Which of several `ocidex serve` processes on one PostgreSQL index fires the schedules: the one
 * holding the store's leader lock (a session advisory lock, src/store/leader-lock.ts). Each
 * process polls the lock every `pollMs`, so when the leader exits or loses its connection another
 * takes over within one poll, and asks again at each fire (a real check: a leader whose session
 * was lost and replaced leads no more). A process that cannot reach the database does not lead.
 */
import type { IndexStore } from '../store/index.js';
import { errorField, silentLogger, type ServiceLogger } from '../runtime/logger.js';
import { systemTimers, type Timers } from '../runtime/timers.js';

/** The name of the scheduler's lead. */
export const SCHEDULER_LEAD = 'scheduler';

/** How often a process tries to take the lead (and refreshes what it polls, see `onPoll`). */
export const LEAD_POLL_MS = 2_000;

export interface LeadershipOptions {
  index: Pick<IndexStore, 'tryLead' | 'releaseLead'>;
  /** The lead's name (default `scheduler`). */
  name?: string;
  pollMs?: number;
  timers?: Timers;
  logger?: ServiceLogger;
  /** Run after each poll (the service reloads the schedules other processes changed). */
  onPoll?: () => Promise<void>;
}

/** The lead of one process under one name; see the module comment. */
export class Leadership {
  readonly #options: LeadershipOptions;
  readonly #name: string;
  readonly #timers: Timers;
  readonly #logger: ServiceLogger;
  #leading = false;
  #handle: unknown = null;
  #stopped = false;

  constructor(options: LeadershipOptions) {
    this.#options = options;
    this.#name = options.name ?? SCHEDULER_LEAD;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Whether this process led at the last check. */
  get leading(): boolean {
    return this.#leading;
  }

  /** Whether this process leads now, taking the lead when it is free (false once stopped). */
  check(): boolean {
    if (this.#stopped) return false;
    let leads = false;
    try {
      leads = this.#options.index.tryLead(this.#name);
    } catch (error) {
      if (this.#leading)
        this.#logger.error('lead unknown: index unreachable', { lead: this.#name, error: errorField(error) });
    }
    if (leads !== this.#leading) this.#logger.info(leads ? 'lead taken' : 'lead lost', { lead: this.#name });
    this.#leading = leads;
    return leads;
  }

  /** Checks now, then every `pollMs` until `stop`. */
  start(): void {
    this.#poll();
  }

  /** Stops polling and gives the lead up, so another process takes it at its next poll. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#timers.clearTimeout(this.#handle);
    if (!this.#leading) return;
    this.#leading = false;
    try {
      this.#options.index.releaseLead(this.#name);
    } catch {
      // An unreachable database ended the session, and the lock with it.
    }
  }

  #poll(): void {
    if (this.#stopped) return;
    this.check();
    const refreshed = this.#options.onPoll?.() ?? Promise.resolve();
    refreshed
      .catch((error: unknown) => this.#logger.error('poll failed', { lead: this.#name, error: errorField(error) }))
      .finally(() => {
        if (!this.#stopped)
          this.#handle = this.#timers.setTimeout(() => this.#poll(), this.#options.pollMs ?? LEAD_POLL_MS);
      });
  }
}
