/**
 * Queue mode's `PushEventSink`: each event becomes a job of the event queue, whose fetch worker
 * makes its registry reads (src/crawl/push-events.ts `fetchEvent`) and hands the change to the
 * index writer, which applies it without a request. The event queue runs one job at a time, so
 * the writes keep arrival order. Events are idempotent, so a duplicated delivery is applied
 * twice harmlessly; they carry no stable id, so a push after a delete of the same digest is
 * never mistaken for a duplicate. An event of a registry no longer configured is ignored.
 */
import type { PushEventSink } from '../api/index.js';
import type { PushEvent, RegistryConfig } from '../domain/registry.js';
import type { EventAction } from '../crawl/apply-event.js';
import { silentLogger, type ServiceLogger } from '../runtime/logger.js';
import { JOB_OPTIONS } from './job-options.js';
import type { Queues } from './queues.js';

export class QueueEventSink implements PushEventSink {
  constructor(
    private readonly queues: Queues,
    private readonly registries: { get(id: string): Promise<RegistryConfig | null> },
    private readonly logger: ServiceLogger = silentLogger,
  ) {}

  async push(event: PushEvent): Promise<void> {
    await this.#add('push', event);
  }

  async remove(event: PushEvent): Promise<void> {
    await this.#add('remove', event);
  }

  async #add(action: EventAction, event: PushEvent): Promise<void> {
    const config = await this.registries.get(event.registry);
    if (config === null) {
      this.logger.info('push event ignored: registry removed', { registry: event.registry, action });
      return;
    }
    await this.queues.event.add(action, { action, event, config }, JOB_OPTIONS);
  }
}
