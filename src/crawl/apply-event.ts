/**
 * One push event applied to the index, with its errors stored (run null) and a log line. The
 * embedded event sink runs it in process: `fetchEvent` with the index answering its reads, then
 * `applyChange` (push-events.ts). Queue mode runs the same two halves in a fetch job and in the
 * index writer (`logEvent` is their shared log line). Never throws: a failed event is logged
 * and stored, and the next crawl repairs what it missed.
 */
import { errorField, type ServiceLogger } from '../domain/logger.js';
import type { PushEvent, RegistryConfig } from '../domain/registry.js';
import { DEFAULT_LIMITS } from './context.js';
import { ErrorCollector } from './error-collector.js';
import type { IndexStore } from '../store/index.js';
import { canonicalRegistry, type RegistryClient } from '../registry/index.js';
import { indexEventReads } from './event-reads.js';
import { applyChange, fetchEvent } from './push-events.js';

/** Which way an event goes: a manifest pushed or deleted. */
export type EventAction = 'push' | 'remove';

/** What applying an event needs; each mode passes its registry store and client pool. */
export interface EventDeps {
  index: IndexStore;
  /** The configured registries (a RegistryConfigStore); an event of an unknown one is ignored. */
  registries: { get(id: string): Promise<RegistryConfig | null> };
  /** One client per configured registry (a ClientPool). */
  clients: { get(config: RegistryConfig): RegistryClient };
  logger: ServiceLogger;
  /** Aborted at shutdown: the event is dropped. */
  signal: AbortSignal;
}

/** Applies the event; resolves with what it did ('indexed', 'removed', 'dropped', 'failed', ...). */
export async function applyEvent(deps: EventDeps, action: EventAction, event: PushEvent): Promise<string> {
  const { index, registries, logger, signal } = deps;
  const config = await registries.get(event.registry);
  const fields = eventFields(action, event);
  if (signal.aborted) return dropped(logger, fields);
  if (config === null) {
    logger.info('push event ignored: registry removed', fields);
    return 'ignored';
  }
  const errors = new ErrorCollector(canonicalRegistry(config.url));
  const started = performance.now();
  try {
    const client = deps.clients.get(config);
    client.referrersApi ??= index.getReferrersApi(client.registry);
    const now = (): string => new Date().toISOString();
    const reads = indexEventReads(index, client.registry);
    const change = await fetchEvent(
      { client, index, errors, limits: DEFAULT_LIMITS, signal, now, reads },
      action,
      event,
    );
    const outcome = applyChange(index, change);
    logger.info('push event applied', { ...fields, outcome, ms: Math.round(performance.now() - started) });
    return outcome;
  } catch (error) {
    if (signal.aborted) return dropped(logger, fields);
    errors.add(event.repository, event.digest, error);
    logger.error('push event failed', { ...fields, error: errorField(error) });
    return 'failed';
  } finally {
    index.recordErrors(null, errors.drain());
  }
}

/** The fields of an event's log lines. */
export function eventFields(action: EventAction, event: PushEvent): Record<string, unknown> {
  return { registry: event.registry, repository: event.repository, digest: event.digest, tag: event.tag, action };
}

function dropped(logger: ServiceLogger, fields: Record<string, unknown>): string {
  logger.info('push event dropped: shutting down', fields);
  return 'dropped';
}
