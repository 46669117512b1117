/**
 * Queue mode's `PushEventSink`: each event becomes an `event` job of the write queue, which the
 * index writer applies in arrival order (the same code as embedded mode, src/crawl/apply-event.ts).
 * Events are idempotent, so a duplicated delivery is applied twice harmlessly; they carry no
 * stable id, so a push after a delete of the same digest is never mistaken for a duplicate.
 */
import type { PushEventSink } from '../api/index.js';
import type { PushEvent } from '../domain/registry.js';
import { JOB_OPTIONS } from './job-options.js';
import type { WriteJobs } from './jobs.js';
import type { Queues } from './queues.js';

export class QueueEventSink implements PushEventSink {
  constructor(private readonly queues: Queues) {}

  async push(event: PushEvent): Promise<void> {
    await this.#add({ action: 'push', event });
  }

  async remove(event: PushEvent): Promise<void> {
    await this.#add({ action: 'remove', event });
  }

  async #add(data: WriteJobs['event']): Promise<void> {
    await this.queues.write.add('event', data, JOB_OPTIONS);
  }
}
