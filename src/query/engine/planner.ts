/**
 * Choosing how to find candidates for a filter's `possible` set. Leaf sets are counted (capped)
 * on the `doc_values_lookup` index. A small set drives the query (its ids are fetched, then the
 * documents); otherwise documents are streamed in output order with the whole condition checked
 * per document in SQL. Either way truncated documents are always candidates, and every
 * candidate is then evaluated exactly.
 */
import type { Row, SqlContext } from './sql-context.js';
import { ALL, type DocumentSet, intersect, NONE, union } from '../plan/ir.js';
import { pathsOf, renderCondition, renderSelect, type SqlFragment } from '../plan/render.js';
import { type FirstChunk, type FirstChunkRequest, firstChunkFetch } from './first-chunk.js';
import { jsonOfFirst } from './sorted-rows.js';
import {
  type ProbedSet,
  type ProbeRequest,
  Probes,
  type SmallDriver,
  type SmallDriverFetch,
  type StreamFetch,
} from './probes.js';

/** How the candidates of a filter are fetched. */
export interface CandidatePlan {
  possible: DocumentSet;
  ids: ReadonlyMap<string, number>;
  /** The possible set as a condition on `d.id` (meaningful for untruncated documents). */
  condition: SqlFragment;
  /** The same condition on another document id column (e.g. `v.doc_id`, checked before reading `d`). */
  conditionOn: (documentId: string) => SqlFragment;
  /** `d` is truncated, or satisfies `condition`. */
  candidate: SqlFragment;
  /** SELECT of the driving ids (truncated documents included), or null: stream. */
  driver: SqlFragment | null;
  /**
   * What a driving id `c.id` must still satisfy: `candidate` without the conjuncts the driver
   * already is. On `c.id`, so SQLite checks it before reading the document row.
   */
  residual: SqlFragment;
  /**
   * The driving set's candidates (`id`, `reference`, `json`), when they were read with the
   * probes (a small driving set in reference order: see `smallDriverFetch`), else null.
   */
  drivenRows: Row[] | null;
  /**
   * The sorted stream's first chunk, when it was read with the probes (PostgreSQL: a large set,
   * no candidate keyed from JSON, see first-chunk.ts), else null.
   */
  firstChunk: FirstChunk | null;
  /** Estimated size of the driving set (capped counts). */
  estimate: number;
  /** The index narrows the documents (possible is not every document). */
  indexed: boolean;
  /** Some document is truncated (its values are not all in the index): always a candidate. */
  truncated: boolean;
  /**
   * Some candidate's sort key may have to come from its JSON (a truncated document, or a string
   * too long for the index at the sort path given to `planCandidates`).
   */
  irregularSort: boolean;
}

/** Ids of truncated documents (through the partial index query_documents_truncated). */
export const TRUNCATED_IDS = 'SELECT id FROM documents WHERE values_truncated = 1';

/**
 * Whether `d` is truncated, through the small partial index: reading `d.values_truncated` itself
 * would read past the row's JSON (overflow pages) for every candidate.
 */
export const IS_TRUNCATED = `d.id IN (${TRUNCATED_IDS})`;
export const NOT_TRUNCATED = `d.id NOT IN (${TRUNCATED_IDS})`;
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** Driving sets up to this many times the smallest are intersected with it. */
const INTERSECT_FACTOR = 10;

/**
 * A driving set of at most this many documents (by estimate) is read with its JSON in the same
 * statement (a round trip per JSON batch on PostgreSQL otherwise); a larger one reads the JSON
 * of the candidates the page goes through only.
 */
const INLINE_JSON_ESTIMATE = 128;

/** The rows of a driving set a page goes through first: the first `want` in `order` (SQL over `d`). */
export interface DrivenFirst {
  readonly order: string;
  readonly want: number;
}

/**
 * The JSON column to select with a driving set's rows: `d.json` when the set is small; else,
 * given `first`, the JSON of the first rows in the page's order only (a page whose candidates
 * match reads no more: no round trip per JSON batch on PostgreSQL), else none.
 */
export function drivenJsonColumn(plan: Pick<CandidatePlan, 'estimate'>, first: DrivenFirst | null = null): string {
  if (plan.estimate <= INLINE_JSON_ESTIMATE) return ', d.json AS json';
  return first === null ? '' : jsonOfFirst(first.order, first.want);
}

/** First, cheap count of each conjunct. */
const PROBE_CAP = 256;

interface Choice {
  driver: DocumentSet | null;
  estimate: number;
}

/**
 * Plans how to fetch the candidates of `possible` (in the order of `sortPath`, an indexed path,
 * when given). `firstChunk`: the page a sorted plan is for, from its first candidate, whose first
 * chunk the dialect may read with the probes (`Dialect.readsWithProbes`).
 */
export function planCandidates(
  context: SqlContext,
  possible: DocumentSet,
  sortPath: string | null = null,
  firstChunk: FirstChunkRequest | null = null,
): CandidatePlan {
  const paths = pathsOf(possible);
  if (sortPath !== null) paths.add(sortPath);
  const ids = context.pathIds(paths);
  const cap = context.tuning.driverLimit;
  const sortPathId = sortPath === null ? undefined : ids.get(sortPath);
  const probes = new Probes(context, ids, sortPathId ?? null);
  // Most indexes hold no truncated document: then the SQL need not name them (PostgreSQL plans
  // `IN (truncated) OR EXISTS ...` as subplans that read every row of a path). Asked with the
  // first counts `choose` takes, in one statement.
  const leaves = leafItems(possible, ids);
  let small: SmallDriver | null = null;
  if (leaves !== null && cap > PROBE_CAP) {
    const reads = sortPath === null && context.dialect.readsWithProbes;
    const fetch = reads ? smallDriverFetch(context, possible, leaves, ids) : undefined;
    small = probes.prefetchIntersection(leaves, PROBE_CAP, Math.min(PROBE_CAP * 16, cap), INTERSECT_FACTOR, fetch);
  }
  const streams =
    firstChunk !== null && sortPathId !== undefined && context.dialect.readsWithProbes
      ? firstChunkFetch(context, possible, ids, sortPathId, firstChunk)
      : undefined;
  const truncated = probes.truncated(firstProbes(possible, ids, streams?.cap ?? cap), streams);
  const orTruncated = (condition: SqlFragment, documentId: string): SqlFragment =>
    !truncated || condition.sql === 'TRUE'
      ? condition
      : { sql: `(${documentId} IN (${TRUNCATED_IDS}) OR (${condition.sql}))`, params: condition.params };
  const condition = renderCondition(possible, ids, 'd.id', context.dialect);
  const candidate = orTruncated(condition, 'd.id');
  // Candidates read with the counts: their set drives (any set would find them), no more counting.
  // A trial stream that filled its first chunk streams: no more counting either.
  const trialStreams = streams?.trial === true && streamedChunk(probes, streams, firstChunk) !== null;
  const choice: Choice =
    small !== null
      ? { driver: leaves?.[small.index] ?? null, estimate: small.count }
      : trialStreams
        ? { driver: null, estimate: UNBOUNDED }
        : choose(probes, possible, cap);
  let driver: SqlFragment | null = null;
  let residual = candidate;
  if (choice.driver !== null) {
    const select = renderSelect(choice.driver, ids, context.dialect);
    const union = truncated ? ` UNION ${TRUNCATED_IDS}` : '';
    driver = { sql: `SELECT id FROM (${select.sql}) AS s${union}`, params: select.params };
    // The rest of an intersection of counted sets, each at least INTERSECT_FACTOR times the
    // driving set (chooseIntersection): checked per driving document.
    const rest = withoutDriver(possible, choice.driver);
    residual = orTruncated(renderCondition(rest, ids, 'c.id', context.dialect, false, leaves !== null), 'c.id');
  }
  const conditionOn = (documentId: string) => renderCondition(possible, ids, documentId, context.dialect);
  return {
    possible,
    ids,
    condition,
    conditionOn,
    candidate,
    driver,
    residual,
    drivenRows: driver === null ? null : (small?.rows ?? null),
    firstChunk: streamedChunk(probes, driver === null ? streams : undefined, firstChunk),
    estimate: choice.estimate,
    indexed: possible.kind !== 'all',
    truncated,
    irregularSort: probes.irregular(),
  };
}

/**
 * The candidates of an intersection of leaf sets, driven by its smallest set when that holds at
 * most INLINE_JSON_ESTIMATE rows (read with the first counts, in the same statement: one
 * statement for a selective query). Whichever set drives, the candidates are the documents
 * satisfying the whole condition, so they are the ones the plan chosen from the counts reads.
 */
function smallDriverFetch(
  context: SqlContext,
  possible: DocumentSet,
  leaves: readonly ProbedSet[],
  ids: ReadonlyMap<string, number>,
): SmallDriverFetch {
  const { dialect } = context;
  // The statement is planned once (PostgreSQL): its checks must hold for any values.
  const condition = renderCondition(possible, ids, 'i.id', dialect, dialect.genericChecksByDocument);
  return {
    within: INLINE_JSON_ESTIMATE,
    rows: (gate) => {
      const branches = leaves.map((leaf, index) => {
        const select = renderSelect(leaf, ids, dialect);
        // A LIMIT of 0 when shut: both backends then skip the set's rows (SQLite reads a WHERE
        // term of a subquery's value on every row). The constant LIMIT inside tells PostgreSQL's
        // plan, made without the values, that few rows come.
        const open = `CASE WHEN ${gate(index)} THEN ${INLINE_JSON_ESTIMATE + 1} ELSE 0 END`;
        return {
          sql: `SELECT id FROM (SELECT id FROM (${select.sql} LIMIT ${INLINE_JSON_ESTIMATE + 1}) AS r LIMIT ${open}) AS s${index}`,
          params: select.params,
        };
      });
      // The condition is checked before a document row is read (OFFSET 0: a subquery
      // PostgreSQL keeps whole, not joined into the outer query).
      return {
        sql: `SELECT c.id AS id, d.reference AS reference, d.json AS json
          FROM (SELECT i.id AS id FROM (${branches.map((branch) => branch.sql).join(' UNION ALL ')}) AS i WHERE ${condition.sql} OFFSET 0) AS c
          ${dialect.orderedJoin} documents d ON d.id = c.id`,
        params: [...branches.flatMap((branch) => branch.params), ...condition.params],
      };
    },
  };
}

/**
 * The first chunk `streams` read with the probes, when the plan streams it (its gate mirrors
 * `choose`, or it is a trial: then only when full, a stretch of the sort path holding the chunk).
 */
function streamedChunk(
  probes: Probes,
  streams: Pick<StreamFetch, 'limit' | 'trial'> | undefined,
  request: FirstChunkRequest | null,
): FirstChunk | null {
  const rows = probes.streamed();
  if (streams === undefined || request === null || rows === null || probes.irregular()) return null;
  if (streams.trial && rows.length < streams.limit) return null;
  return { rows, descending: request.descending, limit: streams.limit };
}

/** `possible` without the conjuncts that make up `driver` (which the driving ids already satisfy). */
function withoutDriver(possible: DocumentSet, driver: DocumentSet): DocumentSet {
  if (possible === driver) return ALL;
  if (possible.kind !== 'and') return possible;
  const parts = driver.kind === 'and' ? driver.items : [driver];
  return intersect(possible.items.filter((item) => !parts.includes(item)));
}

/**
 * Picks a driving set no larger than `cap` (by capped counts). Conjuncts are probed cheaply
 * first: once a small one is known, the others need only be counted up to a few times its size.
 */
function choose(probes: Probes, set: DocumentSet, cap: number): Choice {
  switch (set.kind) {
    case 'none':
      return { driver: NONE, estimate: 0 };
    case 'all':
    case 'not':
      return { driver: null, estimate: UNBOUNDED };
    case 'rows': {
      if (!probes.ids.has(set.path)) return { driver: NONE, estimate: 0 };
      const estimate = probes.count(set, cap);
      return estimate <= cap ? { driver: set, estimate } : { driver: null, estimate: UNBOUNDED };
    }
    case 'text': {
      const estimate = probes.count(set, cap);
      return estimate <= cap ? { driver: set, estimate } : { driver: null, estimate: UNBOUNDED };
    }
    case 'and':
      return chooseIntersection(probes, set.items, cap);
    case 'or': {
      const choices = set.items.map((item) => choose(probes, item, cap));
      const estimate = Math.min(
        UNBOUNDED,
        choices.reduce((sum, choice) => sum + choice.estimate, 0),
      );
      const drivers = choices.map((choice) => choice.driver);
      if (estimate > cap || drivers.some((driver) => driver === null)) return { driver: null, estimate: UNBOUNDED };
      return { driver: union(drivers as DocumentSet[]), estimate };
    }
  }
}

function chooseIntersection(probes: Probes, items: readonly DocumentSet[], cap: number): Choice {
  let choices: Choice[] = items.map(() => ({ driver: null, estimate: UNBOUNDED }));
  const smallest = () =>
    Math.min(...choices.filter((choice) => choice.driver !== null).map((choice) => choice.estimate));
  // Count the still-unknown conjuncts with growing caps, never past a few times the smallest
  // known, and not again once one is known (counting costs as much as reading the set).
  let counted = 0;
  for (const level of [PROBE_CAP, PROBE_CAP * 16, cap]) {
    const limit = Math.min(level, cap, smallest() * INTERSECT_FACTOR);
    if (limit <= counted || (counted > PROBE_CAP && Number.isFinite(smallest()))) break;
    const unknown = items.filter((_item, index) => choices[index]?.driver === null);
    probes.prefetch(unknown.flatMap((item) => firstProbes(item, probes.ids, limit)));
    choices = choices.map((choice, index) =>
      choice.driver !== null ? choice : choose(probes, items[index] as DocumentSet, limit),
    );
    counted = limit;
  }
  const best = smallest();
  if (!Number.isFinite(best)) return { driver: null, estimate: UNBOUNDED };
  const cheap = choices.filter((choice) => choice.driver !== null && choice.estimate <= best * INTERSECT_FACTOR);
  return { driver: intersect(cheap.map((choice) => choice.driver as DocumentSet)), estimate: best };
}

/** The items of an intersection of leaf sets (each probed by `choose`), or null for any other set. */
function leafItems(set: DocumentSet, ids: ReadonlyMap<string, number>): ProbedSet[] | null {
  if (set.kind !== 'and') return null;
  const probed = (item: DocumentSet) => item.kind === 'text' || (item.kind === 'rows' && ids.has(item.path));
  return set.items.every(probed) ? (set.items as ProbedSet[]) : null;
}

/**
 * The counts `choose(set, cap)` takes first, to ask in one statement: every leaf not under a
 * negation, with the cap `choose` gives it (an intersection starts its items at PROBE_CAP).
 */
function firstProbes(set: DocumentSet, ids: ReadonlyMap<string, number>, cap: number): ProbeRequest[] {
  switch (set.kind) {
    case 'rows':
      return ids.has(set.path) ? [{ set, cap }] : [];
    case 'text':
      return [{ set, cap }];
    case 'or':
      return set.items.flatMap((item) => firstProbes(item, ids, cap));
    case 'and':
      return set.items.flatMap((item) => firstProbes(item, ids, Math.min(PROBE_CAP, cap)));
    default:
      return [];
  }
}
