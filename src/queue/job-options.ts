/**
 * How jobs are retried, as data (oras-go's retry policy, applied to jobs): a transient failure
 * (network, 5xx, 429, timeouts, after the client's own retries) is retried by BullMQ with
 * exponential backoff; a permanent one (not found, unauthorized, a malformed manifest) fails at
 * once. Finished jobs are removed: results live in the index, not in Redis.
 */
import { UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import { toOcidexError, type OcidexError } from '../domain/errors.js';

export const JOB_ATTEMPTS = 5;
export const JOB_BACKOFF_MS = 1_000;

/** Options of every job; children add `parent` and a stable `jobId`. */
export const JOB_OPTIONS: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
  removeOnComplete: true,
  removeOnFail: true,
};

/** Options of a child of `parent`: its failure never blocks the parent, which reads it instead. */
export function childOptions(parent: Job, id: string): JobsOptions {
  if (parent.id === undefined) throw new Error('a parent job without an id');
  return {
    ...JOB_OPTIONS,
    jobId: id,
    parent: { id: parent.id, queue: parent.queueQualifiedName },
    ignoreDependencyOnFailure: true,
  };
}

/** Whether a failure of this attempt is the job's last (no retry follows). */
export function isLastAttempt(job: Job, error: OcidexError): boolean {
  return !error.transient || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** The error to throw from a processor: transient ones are retried, the rest are not. */
export function jobFailure(error: unknown): Error {
  const failure = toOcidexError(error);
  return failure.transient ? failure : new UnrecoverableError(`${failure.code}: ${failure.message}`);
}
