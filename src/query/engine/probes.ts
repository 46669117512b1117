/**
 * The planner's probes: capped counts of leaf sets (rows of one path matching a predicate, or
 * full-text matches), whether any document is truncated, and whether the sort path holds a
 * string too long for the index (both mean candidates keyed from their JSON). The probes a planning step needs
 * are asked together, in one statement of scalar subqueries (a round trip each on PostgreSQL
 * otherwise), and remembered for the rest of the plan: a count taken with a larger cap answers
 * a smaller one. An exact value at a counted path is counted in facet_counts (one row). The
 * statements are planned once on PostgreSQL (their plans hold whatever the values), and there
 * the first one of an intersection also reads a small driving set's candidates, and the first
 * one of a sorted query a large set's first chunk in sort order.
 */
import { ValueType } from '../../store/values.js';
import type { DocumentSet } from '../plan/ir.js';
import { renderPredicate, type SqlFragment } from '../plan/render.js';
import type { Row, SqlContext } from './sql-context.js';

/** A leaf set the planner counts. */
export type ProbedSet = Extract<DocumentSet, { kind: 'rows' | 'text' }>;

/** A probe to ask: `set` counted up to `cap` + 1. */
export interface ProbeRequest {
  readonly set: ProbedSet;
  readonly cap: number;
}

/** A row when some document is truncated (one probe of the partial index query_documents_truncated). */
const ANY_TRUNCATED = 'SELECT count(*) FROM (SELECT id FROM documents WHERE values_truncated = 1 LIMIT 1) AS t';

/** A row when path `id` holds a string the index keeps no value of. */
function longStringAt(id: number, stringColumn: string): string {
  return `SELECT count(*) FROM (SELECT 1 FROM doc_values WHERE path_id = ${id} AND type = ${ValueType.string} AND ${stringColumn} IS NULL LIMIT 1) AS l`;
}

/**
 * Candidate rows read with an intersection's first counts (see `prefetchIntersection`): the
 * SELECT of the rows, driven by set `index` of the intersection where `gate(index)` holds.
 */
export interface SmallDriverFetch {
  /** The largest count of the smallest set that drives the rows read (at most the first counts' cap). */
  readonly within: number;
  rows(gate: (index: number) => string): SqlFragment;
}

/** A small driving set read with the first counts: its index among the items, its count, its candidates. */
export interface SmallDriver {
  readonly index: number;
  readonly count: number;
  readonly rows: Row[];
}

/**
 * The index of the set that drives (the first of the smallest first counts, when at most
 * `within`), or -1: some document is truncated, or every set is larger.
 */
function drivingGate(count: number, within: number): string {
  const names = Array.from({ length: count }, (_, index) => `p${index}`);
  const cases = names.map((name, index) => {
    const smaller = names.filter((_, other) => other !== index).map((other) => ` AND ${name} <= ${other}`);
    return `WHEN ${name} <= ${within}${smaller.join('')} THEN ${index}`;
  });
  return `CASE WHEN t > 0 THEN -1 ${cases.join(' ')} ELSE -1 END`;
}

/**
 * Rows read with the first probes when they show the planner will stream them (see `prefetch`):
 * a sorted stream's first chunk.
 */
export interface StreamFetch {
  /** The count past which the rows are read (each probed set is asked up to it). */
  readonly cap: number;
  /** The rows come from a bounded stretch of the sort path: they start the stream only when `limit` came. */
  readonly trial: boolean;
  /**
   * SQL true when the counts make the plan stream, over `count(set)`: each probed set's count (up
   * to its cap + 1), a column of the statement (NULL, shutting the gate, for a set not asked).
   */
  streams(count: (set: ProbedSet) => string): string;
  /** The SELECT of the rows, ordered, with a constant LIMIT of `limit` rows (see `#askStreaming`). */
  readonly rows: SqlFragment;
  readonly limit: number;
  /** The same order over the columns of `rows`, qualified by `alias` (the join keeps no order). */
  order(alias: string): string;
}

/** A count taken: `count` rows found when counting up to `cap` + 1. */
interface Counted {
  count: number;
  cap: number;
}

/** Capped counts of one plan's leaf sets, asked in batches. */
export class Probes {
  readonly #counted = new Map<string, Counted>();
  #truncated: boolean | null = null;
  #longStrings = false;
  #streamed: Row[] | null = null;

  /** `sortPathId`: the path the candidates are sorted by, when the index holds it. */
  constructor(
    readonly context: SqlContext,
    readonly ids: ReadonlyMap<string, number>,
    readonly sortPathId: number | null = null,
  ) {}

  /** Whether some candidate's sort key must come from its JSON: a truncated document, or a long string at the sort path. */
  irregular(): boolean {
    return this.truncated() || this.#longStrings;
  }

  /**
   * Whether some document is truncated; asked with `requests` when it is not known yet (and
   * `fetch` riding along, see `prefetch`).
   */
  truncated(requests: readonly ProbeRequest[] = [], fetch?: StreamFetch): boolean {
    if (this.#truncated === null) this.prefetch(requests, fetch);
    return this.#truncated as boolean;
  }

  /** The rows a `StreamFetch` read with the first probes (possibly none), or null when they were not read. */
  streamed(): Row[] | null {
    return this.#streamed;
  }

  /** `set` counted up to `cap` + 1: remembered when a count covers it, else asked alone. */
  count(set: ProbedSet, cap: number): number {
    const known = this.#known(set, cap);
    if (known !== undefined) return known;
    this.prefetch([{ set, cap }]);
    return this.#known(set, cap) as number;
  }

  /**
   * The first counts of an intersection of leaf sets, in one statement: each counted up to
   * `probeCap` and, where `chooseIntersection` (planner.ts) would go on to count it up to `next`
   * (or a few times the smallest count found, `factor`), that count too, evaluated by the
   * server only then (a CASE over the first counts): one round trip instead of two.
   * `fetch`, when given, rides along too: rows driven by the smallest set when no document is
   * truncated and that set holds at most `fetch.within` rows (the gate names the set that
   * drives, by its index in `items`; other sets' rows are never read), and then the second
   * counts are not taken. Answers that set and its candidates, or null when the gate was shut.
   */
  prefetchIntersection(
    items: readonly ProbedSet[],
    probeCap: number,
    next: number,
    factor: number,
    fetch?: SmallDriverFetch,
  ): SmallDriver | null {
    const fragments = items.map((set) => this.#countSql(set));
    const first = fragments.map((fragment, index) => ({ fragment, cap: probeCap, name: `p${index}` }));
    const { dialect } = this.context;
    const smallest = `${dialect.least}(${first.map(({ name }) => `CASE WHEN ${name} <= ${probeCap} THEN ${name} ELSE ${next} END`).join(', ')})`;
    const limit = `(SELECT ${dialect.least}(${next}, ${factor} * ${smallest}) + 1 FROM l1)`;
    const speculate = fetch !== undefined && this.#truncated === null && fetch.within <= probeCap;
    // With the candidates read, the planner needs no further count (see SmallDriver).
    const names = first.map(({ name }) => name).join(', ');
    const read = speculate ? [`NOT (t = 0 AND ${dialect.least}(${names}) <= ${fetch.within})`] : [];
    const goesOn = [...first.map(({ name }) => `${name} > ${Math.floor(probeCap / factor)}`), ...read].join(' AND ');
    const second = fragments.map((fragment, index) => ({
      sql: `CASE WHEN p${index} > ${probeCap} AND ${goesOn} THEN ${cappedCount(fragment, limit)} END AS q${index}`,
      params: countParams(fragment, []),
    }));
    const fetched = speculate ? fetch.rows((index) => `(SELECT g FROM l2) = ${index}`) : null;
    const rows = this.#ask(
      first,
      'WITH l1 AS MATERIALIZED (SELECT ',
      fetched === null
        ? `) SELECT l1.*, ${second.map((term) => term.sql).join(', ')} FROM l1`
        : `), l2 AS MATERIALIZED (SELECT l1.*, ${second.map((term) => term.sql).join(', ')}, ${drivingGate(first.length, fetch?.within ?? 0)} AS g FROM l1)
          SELECT l2.*, f.* FROM l2 LEFT JOIN (${fetched.sql}) AS f ON TRUE`,
      [...second.flatMap((term) => term.params), ...(fetched?.params ?? [])],
    );
    const row = rows[0] ?? {};
    const counts = first.map(({ name }) => Number(row[name]));
    const known = counts.filter((count) => count <= probeCap);
    const secondCap = Math.min(next, factor * (known.length === 0 ? next : Math.min(...known)));
    fragments.forEach((fragment, index) => {
      const count = row[`q${index}`];
      if (count !== null && count !== undefined)
        this.#counted.set(keyOf(fragment), { count: Number(count), cap: secondCap });
    });
    const index = Number(row['g']);
    if (fetched === null || !(index >= 0)) return null;
    const candidates = rows.filter((fetchedRow) => fetchedRow['id'] !== null && fetchedRow['id'] !== undefined);
    return { index, count: counts[index] as number, rows: candidates };
  }

  /**
   * Asks every probe of `requests` not answered yet (and the truncation probe, the first time) in
   * one statement. `fetch`, when given, rides along the first time with a sort path (the
   * truncation and long-string probes are in the statement): its rows, read only when no
   * document is truncated, no string at the sort path is too long for the index and
   * `fetch.streams` holds (a LIMIT of 0 otherwise, which reads nothing): see `streamed`.
   */
  prefetch(requests: readonly ProbeRequest[], fetch?: StreamFetch): void {
    const asked = new Map<string, { request: ProbeRequest; fragment: SqlFragment }>();
    for (const request of requests) {
      const fragment = this.#countSql(request.set);
      const key = keyOf(fragment);
      if (this.#known(request.set, request.cap, key) !== undefined) continue;
      const previous = asked.get(key);
      if (previous === undefined || previous.request.cap < request.cap) asked.set(key, { request, fragment });
    }
    const probes = [...asked.values()].map(({ request, fragment }, index) => ({
      fragment,
      cap: request.cap,
      name: `p${index}`,
    }));
    const first = this.#truncated === null;
    if (fetch !== undefined && first && this.sortPathId !== null) {
      const names = new Map(probes.map(({ fragment, name }) => [keyOf(fragment), name]));
      // Nothing is counted before the first statement: a set not asked here shuts the gate (NULL).
      const count = (set: ProbedSet) => names.get(keyOf(this.#countSql(set))) ?? 'NULL';
      this.#streamed = this.#askStreaming(probes, fetch, fetch.streams(count));
    } else if (probes.length > 0 || first) this.#ask(probes, 'SELECT ', '', []);
  }

  /**
   * The probes with `fetch`'s rows joined to their row, gated on `streams`. The rows' SELECT keeps
   * its constant LIMIT inside (PostgreSQL's plan, made without the values, then knows few rows
   * come and walks the sort path's index); the LIMIT outside is 0 when the gate is shut.
   */
  #askStreaming(
    probes: ReadonlyArray<{ fragment: SqlFragment; cap: number; name: string }>,
    fetch: StreamFetch,
    streams: string,
  ): Row[] | null {
    const gate = `t = 0 AND l = 0 AND (${streams})`;
    const open = `CASE WHEN (SELECT s FROM l2) = 1 THEN ${fetch.limit} ELSE 0 END`;
    const rows = this.#ask(
      probes,
      'WITH l1 AS MATERIALIZED (SELECT ',
      `), l2 AS MATERIALIZED (SELECT l1.*, CASE WHEN ${gate} THEN 1 ELSE 0 END AS s FROM l1)
        SELECT l2.*, f.* FROM l2 LEFT JOIN (SELECT * FROM (${fetch.rows.sql}) AS r LIMIT ${open}) AS f ON TRUE
        ORDER BY ${fetch.order('f')}`,
      fetch.rows.params,
    );
    if (Number(rows[0]?.['s']) !== 1) return null;
    return rows.filter((row) => row['id'] !== null && row['id'] !== undefined);
  }

  /**
   * Runs `prefix` + the probe terms (the truncation and long-string probes the first time, then
   * `probes` as columns of their names) + `suffix`, remembers what its first row answered,
   * returns the rows (one, unless `suffix` joins rows to it).
   */
  #ask(
    probes: ReadonlyArray<{ fragment: SqlFragment; cap: number; name: string }>,
    prefix: string,
    suffix: string,
    suffixParams: readonly unknown[],
  ): Row[] {
    const terms: string[] = [];
    const params: unknown[] = [];
    const first = this.#truncated === null;
    if (first) terms.push(`(${ANY_TRUNCATED}) AS t`);
    if (first && this.sortPathId !== null)
      terms.push(`(${longStringAt(this.sortPathId, this.context.dialect.stringColumn)}) AS l`);
    for (const { fragment, cap, name } of probes) {
      terms.push(`${cappedCount(fragment, '?')} AS ${name}`);
      params.push(...countParams(fragment, [cap + 1]));
    }
    // Capped counts read an index range up to their LIMIT whatever the values, and rows read with
    // them are driven by at most a few documents: one plan serves every run (PostgreSQL).
    const sql = this.context.dialect.genericPlan(`${prefix}${terms.join(', ')}${suffix}`);
    const rows = this.context.all(sql, [...params, ...suffixParams]);
    const row = rows[0] ?? {};
    if (first) {
      this.#truncated = Number(row['t']) > 0;
      this.#longStrings = Number(row['l'] ?? 0) > 0;
    }
    for (const { fragment, cap, name } of probes) this.#counted.set(keyOf(fragment), { count: Number(row[name]), cap });
    return rows;
  }

  /** The count of `set` up to `cap` + 1 when a count taken already tells it. */
  #known(set: ProbedSet, cap: number, key = keyOf(this.#countSql(set))): number | undefined {
    const counted = this.#counted.get(key);
    if (counted === undefined) return undefined;
    if (counted.count <= counted.cap) return Math.min(counted.count, cap + 1);
    return cap <= counted.cap ? cap + 1 : undefined;
  }

  /**
   * `SELECT count(*) FROM (<rows of set>` without its LIMIT, which `cappedCount` adds; for an
   * exact value, its count in facet_counts too, read instead when the path is counted.
   */
  #countSql(set: ProbedSet): CountFragment {
    const { dialect } = this.context;
    if (set.kind === 'text') {
      return { sql: `SELECT count(*) FROM (${dialect.textMatch}`, params: [dialect.textParam(set.match)] };
    }
    const id = this.ids.get(set.path) ?? -1;
    const rendered = renderPredicate(set.predicate, dialect);
    const rows = `SELECT count(*) FROM (SELECT 1 FROM doc_values WHERE path_id = ${id} AND (${rendered.sql})`;
    if (set.predicate.seek !== true) return { sql: rows, params: rendered.params };
    // facet_counts' key columns are never NULL (other types' are 0 or empty): the seek's
    // `type = t AND value = ?` reads them as it reads doc_values'.
    const counted = `SELECT coalesce(sum(n), 0) FROM facet_counts WHERE path_id = ${id} AND (${rendered.sql})`;
    return { sql: rows, params: rendered.params, counted: { sql: counted, pathId: id } };
  }
}

/** A probe's count: its rows (see `#countSql`) and, for an exact value, its count in facet_counts. */
interface CountFragment extends SqlFragment {
  readonly counted?: { readonly sql: string; readonly pathId: number };
}

/**
 * The count of `fragment`'s rows up to the LIMIT `limit` (SQL); of an exact value at a counted
 * path (facet_paths), its count in facet_counts, exact and read in one row instead of thousands
 * (a count, so only the plan depends on it: both find the same candidates).
 */
function cappedCount(fragment: CountFragment, limit: string): string {
  const rows = `(${fragment.sql} LIMIT ${limit}) AS r)`;
  if (fragment.counted === undefined) return rows;
  const { sql, pathId } = fragment.counted;
  return `(CASE WHEN EXISTS (SELECT 1 FROM facet_paths WHERE path_id = ${pathId}) THEN (${sql}) ELSE ${rows} END)`;
}

/** The parameters of `cappedCount(fragment, ...)`, `limit` those of its LIMIT. */
function countParams(fragment: CountFragment, limit: readonly unknown[]): unknown[] {
  const rows = [...fragment.params, ...limit];
  return fragment.counted === undefined ? rows : [...fragment.params, ...rows];
}

/** What identifies a probe's rows: its SQL and parameters (bytes as hex). */
function keyOf(fragment: SqlFragment): string {
  const params = fragment.params.map((param) =>
    Buffer.isBuffer(param) ? `x${param.toString('hex')}` : `${typeof param}:${String(param)}`,
  );
  return `${fragment.sql}\u0000${params.join('\u0000')}`;
}
