/**
 * One push event applied to the index, with its errors stored (run null) and a log line: what
 * both modes run, in process (EmbeddedEventSink) or in the index writer (queue mode). Never
 * throws: a failed event is logged and stored, and the next crawl repairs what it missed.
 */
import type { RegistryConfigStore } from '../api/index.js';
import type { PushEvent } from '../domain/registry.js';
import { DEFAULT_LIMITS } from '../crawl/context.js';
import { ErrorCollector } from '../crawl/error-collector.js';
import type { IndexStore } from '../index/index.js';
import { canonicalRegistry } from '../registry/index.js';
import { errorField, type ServiceLogger } from './logger.js';
import { applyDelete, applyPush } from './push-events.js';
import type { ClientPool } from './registry-clients.js';

export type EventAction = 'push' | 'remove';

export interface EventDeps {
  index: IndexStore;
  registries: RegistryConfigStore;
  clients: Pick<ClientPool, 'get'>;
  logger: ServiceLogger;
  /** Aborted at shutdown: the event is dropped. */
  signal: AbortSignal;
}

/** Applies the event; resolves with what it did ('indexed', 'removed', 'dropped', 'failed', ...). */
export async function applyEvent(deps: EventDeps, action: EventAction, event: PushEvent): Promise<string> {
  const { index, registries, logger, signal } = deps;
  const config = await registries.get(event.registry);
  const fields = { registry: event.registry, repository: event.repository, digest: event.digest, tag: event.tag, action };
  if (signal.aborted) return dropped(logger, fields);
  if (config === null) {
    logger.info('push event ignored: registry removed', fields);
    return 'ignored';
  }
  const errors = new ErrorCollector(canonicalRegistry(config.url));
  const started = performance.now();
  try {
    const client = deps.clients.get(config);
    let outcome: string;
    if (action === 'remove') outcome = await applyDelete({ index, client, signal }, event);
    else {
      client.referrersApi ??= index.getReferrersApi(client.registry);
      const now = (): string => new Date().toISOString();
      outcome = await applyPush({ client, index, errors, limits: DEFAULT_LIMITS, signal, now }, event);
    }
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

function dropped(logger: ServiceLogger, fields: Record<string, unknown>): string {
  logger.info('push event dropped: shutting down', fields);
  return 'dropped';
}
