/**
 * Embedded mode's `PushEventSink`: events are queued (bounded, in memory) and applied in the
 * background, one at a time per registry in arrival order (push-events.ts), so the API answers
 * 202 at once. A failed event is logged and its error stored in the index (run null); the next
 * crawl repairs whatever it missed.
 */
import type { PushEvent, PushEventSink, RegistryConfig, RegistryConfigStore } from '../api/index.js';
import { DEFAULT_LIMITS } from '../crawl/context.js';
import { ErrorCollector } from '../crawl/error-collector.js';
import type { IndexStore } from '../index/index.js';
import { canonicalRegistry } from '../registry/index.js';
import { errorField, silentLogger, type ServiceLogger } from './logger.js';
import { applyDelete, applyPush } from './push-events.js';
import type { ClientPool } from './registry-clients.js';
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

type Action = 'push' | 'remove';

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

  async #apply(action: Action, event: PushEvent): Promise<void> {
    const { index, registries } = this.#options;
    const config = await registries.get(event.registry);
    const fields = { registry: event.registry, repository: event.repository, digest: event.digest, tag: event.tag, action };
    if (this.#abort.signal.aborted) return this.#logger.info('push event dropped: shutting down', fields);
    if (config === null) return this.#logger.info('push event ignored: registry removed', fields);
    const errors = new ErrorCollector(canonicalRegistry(config.url));
    const started = performance.now();
    try {
      const outcome = await this.#applyWith(config, action, event, errors);
      this.#logger.info('push event applied', { ...fields, outcome, ms: Math.round(performance.now() - started) });
    } catch (error) {
      if (this.#abort.signal.aborted) return this.#logger.info('push event dropped: shutting down', fields);
      errors.add(event.repository, event.digest, error);
      this.#logger.error('push event failed', { ...fields, error: errorField(error) });
    } finally {
      index.recordErrors(null, errors.drain());
    }
  }

  /** Applies the event with the registry's client; resolves with what it did. */
  async #applyWith(config: RegistryConfig, action: Action, event: PushEvent, errors: ErrorCollector): Promise<string> {
    const { index, clients } = this.#options;
    const client = clients.get(config);
    if (action === 'remove') return applyDelete(index, client.registry, event) ? 'removed' : 'unknown';
    client.referrersApi ??= index.getReferrersApi(client.registry);
    const now = (): string => new Date().toISOString();
    return applyPush({ client, index, errors, limits: DEFAULT_LIMITS, signal: this.#abort.signal, now }, event);
  }
}
