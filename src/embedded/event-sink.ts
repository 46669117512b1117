/**
 * Embedded mode's `PushEventSink`: events are queued (bounded, in memory) and applied in the
 * background, one at a time per registry in arrival order (push-events.ts), so the API answers
 * 202 at once. A failed event is logged and its error stored in the index (run null); the next
 * crawl repairs whatever it missed.
 */
import type { PushEventSink, RegistryConfigStore } from '../api/index.js';
import type { PushEvent } from '../domain/registry.js';
import type { IndexStore } from '../store/index.js';
import { applyEvent, type EventAction } from '../crawl/apply-event.js';
import { errorField, silentLogger, type ServiceLogger } from '../runtime/logger.js';
import type { ClientPool } from '../runtime/registry-clients.js';
import { SerialQueue } from './serial-queue.js';

/** Events waiting at most, over all registries; past it the API answers 429 and the registry retries. */
export const DEFAULT_MAX_PENDING_EVENTS = 10_000;
/** How long `close` lets queued events finish before aborting their registry requests. */
export const EVENT_DRAIN_GRACE_MS = 5_000;

export interface EventSinkOptions {
  index: IndexStore;
  registries: RegistryConfigStore;
  clients: ClientPool;
  maxPending?: number;
  logger?: ServiceLogger;
}

/** Applies push events in the background; see the module comment. */
export class EmbeddedEventSink implements PushEventSink {
  readonly #options: EventSinkOptions;
  readonly #logger: ServiceLogger;
  readonly #queue: SerialQueue;
  readonly #abort = new AbortController();

  constructor(options: EventSinkOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#queue = new SerialQueue(options.maxPending ?? DEFAULT_MAX_PENDING_EVENTS, (error, registry) =>
      this.#logger.error('push event failed', { registry, error: errorField(error) }),
    );
  }

  async push(event: PushEvent): Promise<void> {
    this.#queue.enqueue(event.registry, () => this.#apply('push', event));
  }

  async remove(event: PushEvent): Promise<void> {
    this.#queue.enqueue(event.registry, () => this.#apply('remove', event));
  }

  /** Events waiting or being applied. */
  get pending(): number {
    return this.#queue.size;
  }

  /** Resolves once every queued event is applied. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /**
   * Refuses new events and lets the queued ones finish; after `graceMs` the rest are dropped
   * (their registry requests aborted): the next crawl picks up what they would have changed.
   */
  async close(graceMs = EVENT_DRAIN_GRACE_MS): Promise<void> {
    const timer = setTimeout(() => this.#abort.abort(), graceMs);
    try {
      await this.#queue.close();
    } finally {
      clearTimeout(timer);
    }
  }

  async #apply(action: EventAction, event: PushEvent): Promise<void> {
    const { index, registries, clients } = this.#options;
    await applyEvent({ index, registries, clients, logger: this.#logger, signal: this.#abort.signal }, action, event);
  }
}
