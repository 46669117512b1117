/**
 * BullMQ's "process step jobs" pattern: a job adds its children, records its next step in its
 * data and parks in waiting-children; once every child has finished, a worker picks it up again
 * at that step. A worker killed between two steps loses nothing: the job stalls, comes back at
 * the recorded step, and children it adds again have the same ids, so nothing is added twice.
 */
import { WaitingChildrenError, type Job } from 'bullmq';

/** Records `data` (with the next step) and parks the job until its children are done. */
export async function parkUntilChildrenDone<T>(job: Job<T>, token: string | undefined, data: T): Promise<void> {
  await job.updateData(data);
  if (token === undefined) throw new Error(`job ${job.id}: no lock token to park it with`);
  if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
}

/** The value a child with id `id` finished with, or undefined. */
export function childValue<T>(values: Record<string, unknown>, id: string): T | undefined {
  for (const [key, value] of Object.entries(values)) if (key.endsWith(`:${id}`)) return value as T;
  return undefined;
}

/** Values of the children whose id starts with `prefix`. */
export function childValues<T>(values: Record<string, unknown>, prefix: string): T[] {
  return Object.entries(values)
    .filter(([key]) => key.includes(`:${prefix}`))
    .map(([, value]) => value as T);
}
