/** Crawl runs and the errors they collected. */
import type { CrawlCounts, CrawlErrorRecord, CrawlSummary } from '../domain/crawl.js';
import type { ErrorCode } from '../domain/errors.js';
import { OcidexError } from '../domain/errors.js';
import type { IndexContext } from './context.js';
import { leaderLockKey } from './leader-lock.js';
import { ownerAlive, parseOwner, type RunOwner } from './run-owner.js';
import type { ErrorRow, RunRow } from './statements.js';

/** One crawl run as recorded. */
export interface CrawlRunRecord {
  id: number;
  registry: string;
  /** running | succeeded | failed */
  status: string;
  startedAt: string;
  finishedAt: string | null;
  /** The final summary once finished; null while running (see `progress`). */
  summary: CrawlSummary | null;
  /** The counts so far while running (null before the first report), the final counts once finished. */
  progress: CrawlCounts | null;
  params: Record<string, unknown>;
  /** The process working on a running run (null: recorded by an older version); see run-owner.ts. */
  owner: RunOwner | null;
  /** The owner's last heartbeat. */
  heartbeatAt: string | null;
}

/** Which errors to list; all of them, oldest first, when empty. */
export interface ErrorFilter {
  runId?: number;
  registry?: string;
  limit?: number;
}

/** Records a running crawl owned by `owner`; returns its id. `params` must not hold credentials. */
export function startRun(
  context: IndexContext,
  registry: string,
  params: Record<string, unknown>,
  at: string,
  owner: RunOwner,
): number {
  const row = context.statements.insertRun.get(registry, JSON.stringify(params), at);
  if (row === undefined) throw new Error('crawl run not recorded');
  context.statements.claimRun.run(JSON.stringify(owner), at, row.id);
  return row.id;
}

/** The first key of the lock serializing crawl starts of one registry ('ocrn'; the second is the registry's hash). */
const RUN_START_LOCK_SPACE = 0x6f63726e;

/** What `startRunOnce` did: started run `runId`, or found another process's live run `runId`. */
export interface RunStart {
  runId: number;
  started: boolean;
}

/**
 * Starts a run of `registry` as `startRun` does, unless another process (not `owner`) is still
 * working on a run of it (run-owner.ts `ownerAlive`): then answers that run. Call inside a write
 * transaction: starters wait for each other there (SQLite's one writer; on PostgreSQL an
 * advisory lock until the transaction ends), so two processes asked at once start one crawl.
 * `owner`'s own running runs are its caller's to know (a run whose end is still unwritten is one).
 */
export function startRunOnce(
  context: IndexContext,
  registry: string,
  params: Record<string, unknown>,
  at: string,
  owner: RunOwner,
): RunStart {
  context.statements.lockRunStart.get(RUN_START_LOCK_SPACE, leaderLockKey(registry));
  const live = context.statements.selectRunningRunsOfRegistry.all(registry).find((row) => {
    const runOwner = parseOwner(row.owner);
    return runOwner !== null && runOwner.id !== owner.id && ownerAlive(runOwner, row.heartbeatAt, owner);
  });
  if (live !== undefined) return { runId: live.id, started: false };
  return { runId: startRun(context, registry, params, at, owner), started: true };
}

/** Renews `owner`'s heartbeat on the runs it still works on; returns how many. */
export function heartbeatRuns(context: IndexContext, owner: RunOwner, at: string): number {
  return context.statements.heartbeatRuns.run(at, owner.id).changes;
}

/** Records the outcome of run `runId`. */
export function finishRun(context: IndexContext, runId: number, summary: CrawlSummary): void {
  const result = context.statements.finishRun.run(summary.status, summary.finishedAt, JSON.stringify(summary), runId);
  if (result.changes === 0) throw new OcidexError('not_found', `no crawl run ${runId}`);
}

/** Records the counts so far of a running run; false when the run is unknown or finished. */
export function updateRunProgress(context: IndexContext, runId: number, counts: CrawlCounts, at: string): boolean {
  return context.statements.updateRunProgress.run(JSON.stringify(counts), at, runId).changes > 0;
}

/**
 * Adds to the counts so far of a running run, read and written in the caller's write transaction
 * (on PostgreSQL the read locks the run's row, so concurrent writers add up exactly).
 */
export function addRunProgress(
  context: IndexContext,
  runId: number,
  add: (counts: CrawlCounts | null) => CrawlCounts,
  at: string,
): boolean {
  const row = context.statements.selectRunProgressForUpdate.get(runId);
  if (row === undefined) return false;
  const counts = add(row.progress === null ? null : (JSON.parse(row.progress) as CrawlCounts));
  return updateRunProgress(context, runId, counts, at);
}

/** Stores every error given, in order. */
export function recordErrors(context: IndexContext, runId: number | null, errors: readonly CrawlErrorRecord[]): void {
  const { insertError } = context.statements;
  for (const error of errors) {
    insertError.run(runId, error.registry, error.repository, error.reference, error.code, error.message, error.at);
  }
}

/** Stored errors matching `filter`, oldest first. */
export function listErrors(context: IndexContext, filter: ErrorFilter): CrawlErrorRecord[] {
  const { listErrorsOfRun, listErrors: listAll } = context.statements;
  const parameters = { registry: filter.registry ?? null, limit: limitOf(filter.limit) };
  const rows =
    filter.runId === undefined ? listAll.all(parameters) : listErrorsOfRun.all({ ...parameters, runId: filter.runId });
  return rows.map(toErrorRecord);
}

/** Recorded runs, newest first. */
export function listRuns(context: IndexContext, filter: { registry?: string; limit?: number }): CrawlRunRecord[] {
  const { listRuns: listAll, listRunsOfRegistry } = context.statements;
  const limit = limitOf(filter.limit);
  const rows = filter.registry === undefined ? listAll.all(limit) : listRunsOfRegistry.all(filter.registry, limit);
  return rows.map((row) => toRunRecord(context, row));
}

/** The run `runId`, or null. */
export function getRun(context: IndexContext, runId: number): CrawlRunRecord | null {
  const row = context.statements.selectRun.get(runId);
  return row === undefined ? null : toRunRecord(context, row);
}

/** No limit: a LIMIT both backends take. */
function limitOf(limit: number | undefined): number {
  if (limit === undefined) return Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(limit) || limit < 0) throw new OcidexError('invalid_argument', `invalid limit ${limit}`);
  return limit;
}

function toRunRecord(_context: IndexContext, row: RunRow): CrawlRunRecord {
  const summary = row.summary === null ? null : (JSON.parse(row.summary) as CrawlSummary);
  const progress = row.progress === null ? null : (JSON.parse(row.progress) as CrawlCounts);
  return {
    id: row.id,
    registry: row.registry,
    status: row.status,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    summary,
    progress: summary?.counts ?? progress,
    params: JSON.parse(row.params) as Record<string, unknown>,
    owner: parseOwner(row.owner),
    heartbeatAt: row.heartbeatAt,
  };
}

function toErrorRecord(row: ErrorRow): CrawlErrorRecord {
  return { ...row, code: row.code as ErrorCode };
}

/** The tag changes a run recorded in the tag history. */
export interface TagChanges {
  tagsAdded: number;
  tagsMoved: number;
  tagsRemoved: number;
}

const TAG_CHANGES_OF_RUN = `SELECT count(*) FILTER (WHERE old_digest IS NULL) AS "tagsAdded",
  count(*) FILTER (WHERE old_digest IS NOT NULL AND new_digest IS NOT NULL) AS "tagsMoved",
  count(*) FILTER (WHERE new_digest IS NULL) AS "tagsRemoved" FROM tag_events WHERE run_id = ?`;

export function tagChangesOfRun(context: IndexContext, runId: number): TagChanges {
  return context.db.prepare<[number], TagChanges>(TAG_CHANGES_OF_RUN).get(runId) as TagChanges;
}
