import { afterEach, describe, expect, it } from 'vitest';
import { documentReference } from '../../../src/domain/document.js';
import type { PushEvent } from '../../../src/domain/registry.js';
import type { EventJobData, WriteJobs } from '../../../src/queue/jobs.js';
import { eventProcessor } from '../../../src/queue/workers/event-processor.js';
import { indexWriter } from '../../../src/queue/workers/index-writer.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { FakeRegistry } from '../../support/fake-registry.js';
import { fakeJob, fetchDepsOf, recordingQueues } from '../../support/fake-job.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';

let fake: FakeRegistry | undefined;
let client: RegistryClient | undefined;
let temp: TempIndex | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
  temp?.cleanup();
  fake = client = temp = undefined;
});

/** Runs the event's fetch job, then its write job; the registry requests each made. */
async function runEvent(action: 'push' | 'remove', event: PushEvent) {
  const { queues, added } = recordingQueues();
  const deps = fetchDepsOf(queues, () => client!);
  const data: EventJobData = { action, event, config: { id: 'fake', url: fake!.url } };
  fake!.clearRequests();
  const fetched = await eventProcessor(deps)(fakeJob(action, data));
  const fetchRequests = fake!.requests.length;
  const write = added.find((entry) => entry.queue === 'write' && entry.name === 'event')?.data as WriteJobs['event'];
  fake!.clearRequests();
  const written = await indexWriter({ index: temp!.index, logger: silentLogger })(fakeJob('event', write));
  return { fetched, fetchRequests, write, written, writeRequests: fake!.requests.length };
}

describe('queue mode, a push event', () => {
  it("is read by the fetch job; the writer's job makes no registry request", async () => {
    fake = await FakeRegistry.start({ referrersApi: true });
    client = new RegistryClient({ registry: fake.host, dockerConfigPath: null });
    temp = tempIndex();
    const model = fake.pushArtifact('models/a', {
      tag: 'v1',
      configMediaType: 'application/x-config',
      config: { name: 'models/a' },
      layers: [{ mediaType: 'application/x-mlmodel', content: 'weights' }],
    });
    const event = { registry: 'fake', repository: 'models/a', digest: model.digest, tag: 'v1', mediaType: null };
    const pushed = await runEvent('push', event);
    expect(pushed.fetched.requests).toBeGreaterThan(0);
    expect(pushed.fetchRequests).toBe(pushed.fetched.requests);
    expect(pushed.write.change).toMatchObject({ action: 'push', kind: 'manifest', tag: 'v1' });
    expect(pushed.written).toEqual({ outcome: 'indexed' });
    expect(pushed.writeRequests).toBe(0);
    const reference = documentReference(fake.host, 'models/a', model.digest);
    expect(temp.index.getDocument(reference)?.tags).toEqual(['v1']);

    fake.deleteManifest('models/a', model.digest);
    const removed = await runEvent('remove', event);
    expect(removed.fetchRequests).toBe(1);
    expect(removed.written).toEqual({ outcome: 'removed' });
    expect(removed.writeRequests).toBe(0);
    expect(temp.index.getDocument(reference)).toBeNull();
  });

  it('hands a failed read to the writer as an error it stores, still without a request', async () => {
    fake = await FakeRegistry.start();
    client = new RegistryClient({ registry: fake.host, dockerConfigPath: null, retry: { maxAttempts: 1 } });
    temp = tempIndex();
    const event = {
      registry: 'fake',
      repository: 'models/a',
      digest: `sha256:${'b'.repeat(64)}`,
      tag: null,
      mediaType: null,
    };
    fake.faults.add({ path: /manifests/, status: 403 });
    const failed = await runEvent('remove', event);
    expect(failed.write.change).toBeNull();
    expect(failed.written).toEqual({ outcome: 'failed' });
    expect(failed.writeRequests).toBe(0);
    expect(temp.index.listErrors({}).map((error) => error.reference)).toEqual([event.digest]);
  });
});
