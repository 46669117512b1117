/**
 * Where fetch jobs' writes go (src/queue/writes.ts): write jobs on SQLite, run in the worker on
 * PostgreSQL with the answer kept where the job reads its children's answers.
 */
import { describe, expect, it } from 'vitest';
import { answersOf, Writes } from '../../../src/queue/writes.js';
import { childValue } from '../../../src/queue/steps.js';
import { fakeJob, recordingQueues } from '../../support/fake-job.js';

describe('Writes', () => {
  it('adds write jobs (children answered later) when the worker has no index to write itself', async () => {
    const { queues, added } = recordingQueues();
    const job = fakeJob('repository', { step: 'resolve' });
    await new Writes(queues, null).add(job, 'state', { registry: 'r', repository: 'x' }, { jobId: 'state/1/r/x' });
    expect(added).toEqual([{ queue: 'write', name: 'state', data: { registry: 'r', repository: 'x' } }]);
    expect(childValue(await answersOf(job), 'state/1/r/x')).toBeUndefined();
  });

  it('runs the write here and keeps its answer under the child id (PostgreSQL)', async () => {
    const { queues, added } = recordingQueues();
    const ran: Array<[string, unknown]> = [];
    const writes = new Writes(queues, async (name, data) => {
      ran.push([name, data]);
      return { isNew: true };
    });
    const job = fakeJob('repository', { step: 'resolve' }, { 'bull:manifest:manifest/1/a': { ok: true } });
    await writes.add(job, 'state', { registry: 'r', repository: 'x' }, { jobId: 'state/1/r/x' });
    await writes.send('event', { action: 'push' } as never, { jobId: 'event/9' });
    expect(added).toEqual([]);
    expect(ran.map(([name]) => name)).toEqual(['state', 'event']);
    const answers = await answersOf(job);
    expect(childValue(answers, 'state/1/r/x')).toEqual({ isNew: true });
    expect(childValue(answers, 'manifest/1/a')).toEqual({ ok: true });
    expect(job.data).toMatchObject({ step: 'resolve', answers: { 'state/1/r/x': { isNew: true } } });
  });

  it('refuses a write without a stable id (a retried job would write it again under another)', async () => {
    const { queues } = recordingQueues();
    const writes = new Writes(queues, async () => null);
    await expect(
      writes.add(fakeJob('repository', {}), 'state', { registry: 'r', repository: 'x' }, {}),
    ).rejects.toThrow('stable job id');
  });
});
