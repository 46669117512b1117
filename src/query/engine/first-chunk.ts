/**
 * A sorted stream's first chunk read with the planner's first probes (PostgreSQL: one round trip
 * for a top-1 or first sorted page instead of two). The rows are read only when the counts make
 * the planner stream in sort order with no candidate keyed from its JSON, so they are exactly
 * the rows `presentGroups` (sorted-source.ts) would ask for next; a set small enough to drive is
 * never streamed speculatively (in sort order it could walk the whole sort path's index).
 */
import type { DocumentSet } from '../plan/ir.js';
import { renderCondition } from '../plan/render.js';
import type { ProbedSet, StreamFetch } from './probes.js';
import { firstChunkSize, sortedRowsOrder, sortedRowsSql } from './sorted-rows.js';
import type { Row, SqlContext } from './sql-context.js';

/** The order of the page a sorted plan is made for, from its first candidate (no cursor). */
export interface FirstChunkRequest {
  readonly descending: boolean;
  /** How many candidates the page takes (see `streamBySortPath`). */
  readonly want: number;
}

/** The first chunk read with the probes: up to `limit` value rows with their JSON, in this order. */
export interface FirstChunk {
  readonly rows: readonly Row[];
  readonly descending: boolean;
  readonly limit: number;
}

/**
 * A trial stream's stretch of the sort path, in rows per row of its first chunk: a set holding
 * more than one document in this many fills the chunk from it (when its members are spread along
 * the order). Reading the stretch costs a check per row; counting costs much less per member.
 */
const TRIAL_SCAN_FACTOR = 32;

/**
 * The fetch of the first chunk of `possible` sorted by path `sortPathId`, gated on the first
 * counts, or undefined when the first counts cannot tell (see `streamGate`). The gate is the
 * driver limit; or, when the trial count (`Tuning.trialStream`) is lower, that count, and then
 * the chunk is read from a bounded stretch of the sort path (`trial`): it starts the stream only
 * when full, else the planner counts on and decides as without it.
 */
export function firstChunkFetch(
  context: SqlContext,
  possible: DocumentSet,
  ids: ReadonlyMap<string, number>,
  sortPathId: number,
  request: FirstChunkRequest,
): StreamFetch | undefined {
  const { dialect, tuning } = context;
  const cap = Math.min(tuning.trialStream, tuning.driverLimit);
  if (streamGate(possible, ids, cap, () => '0') === null) return undefined;
  const limit = firstChunkSize(request.want, tuning.chunk) + 1;
  const trial = cap < tuning.driverLimit;
  // Planned once with the probes: each candidate checked by document, whatever the values.
  const condition = renderCondition(possible, ids, 'v.doc_id', dialect, dialect.genericChecksByDocument);
  const bound = { sql: 'TRUE', params: [] };
  const { descending } = request;
  const scan = trial ? { scan: limit * TRIAL_SCAN_FACTOR } : {};
  return {
    cap,
    trial,
    streams: (count) => streamGate(possible, ids, cap, count) as string,
    rows: sortedRowsSql(dialect, {
      pathId: sortPathId,
      descending,
      bound,
      condition,
      regularOnly: '',
      limit,
      withJson: true,
      ...scan,
    }),
    limit,
    order: (alias) => sortedRowsOrder(alias, descending),
  };
}

/**
 * SQL over the first counts true when `choose` (planner.ts) streams `set` (no driving set of at
 * most `cap`), or null when its first counts do not settle it (an intersection counts again).
 * `count(set)`: a leaf's count, as `firstProbes` asks it (up to `cap` + 1).
 */
function streamGate(
  set: DocumentSet,
  ids: ReadonlyMap<string, number>,
  cap: number,
  count: (set: ProbedSet) => string,
): string | null {
  const probed = (item: DocumentSet): item is ProbedSet =>
    item.kind === 'text' || (item.kind === 'rows' && ids.has(item.path));
  switch (set.kind) {
    case 'all':
    case 'not':
      return 'TRUE';
    case 'rows':
    case 'text':
      return probed(set) ? `${count(set)} > ${cap}` : null;
    case 'or': {
      // Every item counted: a union drives while the sum of its items' counts is at most `cap`
      // (an item at a path no document has counts 0).
      if (!set.items.every((item) => item.kind === 'text' || item.kind === 'rows')) return null;
      const counts = set.items.filter(probed).map(count);
      return counts.length === 0 ? null : `${counts.join(' + ')} > ${cap}`;
    }
    default:
      return null;
  }
}
