/**
 * Where a fetch job's writes go, one decision for every processor. SQLite: write jobs on the
 * write queue, children of the job, answered by the one writer; the job parks until they are
 * done and reads their answers as child values. PostgreSQL: the worker holds the index and runs
 * the same handler (workers/index-writer.ts `runWrite`) at once, as one of the database's
 * concurrent writers; the answer is kept in the job's data under the child's id, where
 * `answersOf` finds it as it finds a child's value. Either way a write retried after a crash
 * writes nothing twice (every write is idempotent).
 */
import type { Job, JobsOptions } from 'bullmq';
import type { WriteJobName, WriteJobs } from './jobs.js';
import type { Queues } from './queues.js';

/** Runs a write here and answers it (the worker's index on PostgreSQL). */
export type DirectWriter = (name: WriteJobName, data: unknown) => Promise<unknown>;

/** Answers of writes run here, by the id their write job would have had. */
type Answered = { answers?: Record<string, unknown> };

export class Writes {
  constructor(
    private readonly queues: Queues,
    private readonly direct: DirectWriter | null,
  ) {}

  /** Whether writes run in this worker (PostgreSQL) rather than as write jobs. */
  get inProcess(): boolean {
    return this.direct !== null;
  }

  /** The write `name` as a child of `job` (options carry its id and parent), or run here. */
  async add<N extends WriteJobName>(job: Job, name: N, data: WriteJobs[N], options: JobsOptions): Promise<void> {
    await this.addBulk(job, [{ name, data, opts: options }]);
  }

  /** Several writes at once, as `add`. */
  async addBulk<N extends WriteJobName>(
    job: Job,
    writes: ReadonlyArray<{ name: N; data: WriteJobs[N]; opts: JobsOptions }>,
  ): Promise<void> {
    if (this.direct === null) {
      await this.queues.write.addBulk(writes.map((write) => ({ ...write, opts: write.opts })));
      return;
    }
    const answers = { ...((job.data as Answered).answers ?? {}) };
    for (const write of writes) answers[idOf(write.opts)] = await this.direct(write.name, write.data);
    await job.updateData({ ...job.data, answers });
  }

  /** A write nobody waits for (a push event's), queued or run here. */
  async send<N extends WriteJobName>(name: N, data: WriteJobs[N], options: JobsOptions): Promise<void> {
    if (this.direct === null) await this.queues.write.add(name, data, options);
    else await this.direct(name, data);
  }
}

function idOf(options: JobsOptions): string {
  if (options.jobId === undefined) throw new Error('a write needs a stable job id');
  return options.jobId;
}

/** The answers of `job`'s writes: its children's values and the writes it ran itself. */
export async function answersOf(job: Job): Promise<Record<string, unknown>> {
  const values = await job.getChildrenValues();
  for (const [id, value] of Object.entries((job.data as Answered).answers ?? {})) values[`direct:${id}`] = value;
  return values;
}
