/**
 * A plain object with the few BullMQ Job methods the processors use, so a processor's steps run
 * in a unit test without Redis: `updateData` keeps the data (the next step), parking never waits
 * (the children are given up front), and what the processor adds to a queue is recorded.
 */
import type { Job } from 'bullmq';
import { DEFAULT_LIMITS } from '../../src/crawl/context.js';
import type { CrawlClient } from '../../src/crawl/crawl-registry.js';
import type { FetchDeps } from '../../src/queue/fetch-deps.js';
import type { Queues } from '../../src/queue/queues.js';
import { tallyFields, totalsOf, type RunTally } from '../../src/queue/run-tally.js';
import { Writes } from '../../src/queue/writes.js';

/** A fake job: its children's values and failed children are given up front. */
export interface FakeJob<T> {
  id: string;
  name: string;
  data: T;
  attemptsMade: number;
  opts: { attempts: number };
  queueQualifiedName: string;
  updateData(data: T): Promise<void>;
  moveToWaitingChildren(): Promise<boolean>;
  getChildrenValues(): Promise<Record<string, unknown>>;
  getIgnoredChildrenFailures(): Promise<Record<string, string>>;
}

/** A job named `name` over `data`; `children` keyed like BullMQ's (`bull:queue:id`). */
export function fakeJob<T>(
  name: string,
  data: T,
  children: Record<string, unknown> = {},
  failures: Record<string, string> = {},
): FakeJob<T> & Job<T> {
  const job: FakeJob<T> = {
    id: `${name}-1`,
    name,
    data,
    attemptsMade: 0,
    opts: { attempts: 1 },
    queueQualifiedName: 'bull:test',
    async updateData(next) {
      job.data = next;
    },
    async moveToWaitingChildren() {
      return false;
    },
    async getChildrenValues() {
      return children;
    },
    async getIgnoredChildrenFailures() {
      return failures;
    },
  };
  return job as FakeJob<T> & Job<T>;
}

/** A job added to a fake queue. */
export interface AddedJob {
  queue: string;
  name: string;
  data: unknown;
}

/** Queues whose `add` and `addBulk` only record what was added, in `added`. */
export function recordingQueues(): { queues: Queues; added: AddedJob[] } {
  const added: AddedJob[] = [];
  const queue = (name: string) => ({
    add: async (jobName: string, data: unknown) => void added.push({ queue: name, name: jobName, data }),
    addBulk: async (jobs: Array<{ name: string; data: unknown }>) => {
      for (const job of jobs) added.push({ queue: name, name: job.name, data: job.data });
    },
  });
  const queues = { write: queue('write'), manifest: queue('manifest'), repository: queue('repository') };
  return { queues: queues as unknown as Queues, added };
}

/**
 * A fetch worker's dependencies for a unit test: `queues` (recordingQueues), write jobs for the
 * one writer (SQLite's way), `client` for every registry, the default limits, a tally in memory.
 */
export function fetchDepsOf(
  queues: Queues,
  client: () => CrawlClient,
  extra: Partial<FetchDeps> = {},
): FetchDeps & { tally: ReturnType<typeof memoryRunTally> } {
  return {
    queues,
    writes: new Writes(queues, null),
    clients: { get: client },
    limits: DEFAULT_LIMITS,
    tally: memoryRunTally(),
    signal: new AbortController().signal,
    ...extra,
  } as FetchDeps & { tally: ReturnType<typeof memoryRunTally> };
}

/** A RunTally in memory, adding as the Redis one does (once per member); `added` lists the members. */
export function memoryRunTally(): RunTally & { added: string[] } {
  const runs = new Map<number, { fields: Record<string, string>; errors: string[]; members: Set<string> }>();
  const run = (runId: number) => {
    const tally = runs.get(runId) ?? { fields: {}, errors: [], members: new Set<string>() };
    runs.set(runId, tally);
    return tally;
  };
  const added: string[] = [];
  return {
    added,
    async add(runId, member, result) {
      const tally = run(runId);
      if (tally.members.has(member)) return;
      tally.members.add(member);
      added.push(member);
      for (const [field, value] of Object.entries(tallyFields(result))) {
        tally.fields[field] = String(Number(tally.fields[field] ?? 0) + value);
      }
      if (result.referrersApi !== null) tally.fields.referrersApi = result.referrersApi ? '1' : '0';
      if (result.error !== null) tally.errors.push(JSON.stringify(result.error));
    },
    async read(runId) {
      const tally = run(runId);
      return totalsOf(tally.fields, tally.errors);
    },
    async clear(runId) {
      runs.delete(runId);
    },
  };
}
