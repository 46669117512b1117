/**
 * Row predicates and their bounds for comparisons of one indexed value with a literal, following
 * RFC 9535 section 2.3.5.2.2: `==` is deep equality (absent equals nothing), `<` holds only
 * between two numbers or two strings, `<=` is `<` or `==`, and `!=` / `!` are negations.
 * Strings longer than MAX_INDEXED_STRING are stored with value NULL: possible, never certain.
 */
import { MAX_INDEXED_STRING, ValueType } from '../../store/values.js';
import { ALL, type Bounds, complement, exactly, NONE, rows, type RowPredicate, UNKNOWN } from './ir.js';

/** A literal of a filter: string, number, boolean or null. */
export type Literal = string | number | boolean | null;

/** RFC 9535 comparison operators. */
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * Where a predicate compares the number / the string of a value row: the column differs by
 * backend (see src/store/dialect.ts), so predicates hold these markers and render.ts puts the
 * dialect's column in their place (and binds string literals as the dialect stores strings).
 */
export const NUMBER = '{number}';
export const STRING = '{string}';

/** Any row: the path exists. */
export const ANY_ROW: RowPredicate = { sql: 'TRUE', params: [] };

/** `type IN (...)` */
export function typeIn(types: readonly number[]): RowPredicate {
  return { sql: types.length === 1 ? `type = ${types[0]}` : `type IN (${types.join(', ')})`, params: [] };
}

/** `a > b` is `b < a`: the operator seen from the other side. */
export function mirror(operator: ComparisonOperator): ComparisonOperator {
  const mirrored = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as const;
  return operator === '==' || operator === '!=' ? operator : mirrored[operator];
}

/**
 * True when SQLite's order (code points, from UTF-8 bytes) and JavaScript's `<` (UTF-16 code
 * units) agree for every string compared with `literal`: all its code units are below the surrogates.
 */
export function ordersLikeSqlite(literal: string): boolean {
  for (let index = 0; index < literal.length; index += 1) {
    if (literal.charCodeAt(index) >= 0xd800) return false;
  }
  return true;
}

/** Rows equal to `literal`: `possible` and `certain` predicates. */
export function equalPredicates(literal: Literal): { possible: RowPredicate | null; certain: RowPredicate | null } {
  if (literal === null) return same(typeIn([ValueType.null]));
  if (literal === true) return same(typeIn([ValueType.true]));
  if (literal === false) return same(typeIn([ValueType.false]));
  if (typeof literal === 'number')
    return same({ sql: `type = ${ValueType.number} AND ${NUMBER} = ?`, params: [literal], seek: true });
  if (literal.length <= MAX_INDEXED_STRING)
    return same({ sql: `type = ${ValueType.string} AND ${STRING} = ?`, params: [literal], seek: true });
  return { possible: { sql: `type = ${ValueType.string} AND ${STRING} IS NULL`, params: [] }, certain: null };
}

function same(predicate: RowPredicate): { possible: RowPredicate; certain: RowPredicate } {
  return { possible: predicate, certain: predicate };
}

/** Rows `value < literal` (or `<=`, `>`, `>=`): numbers with numbers, strings with strings. */
export function orderPredicates(
  operator: '<' | '<=' | '>' | '>=',
  literal: Literal,
): { possible: RowPredicate | null; certain: RowPredicate | null } {
  if (typeof literal === 'number')
    return same({ sql: `type = ${ValueType.number} AND ${NUMBER} ${operator} ?`, params: [literal] });
  if (typeof literal === 'string') {
    const strings = `type = ${ValueType.string}`;
    if (!ordersLikeSqlite(literal)) return { possible: { sql: strings, params: [] }, certain: null };
    return {
      possible: { sql: `${strings} AND (${STRING} IS NULL OR ${STRING} ${operator} ?)`, params: [literal] },
      certain: { sql: `${strings} AND ${STRING} ${operator} ?`, params: [literal] },
    };
  }
  // `<=` / `>=` on null or booleans is `==`; `<` / `>` never holds.
  if (operator === '<=' || operator === '>=') return equalPredicates(literal);
  return { possible: null, certain: null };
}

/** Bounds of `value(path) operator literal` where `path` is indexed exactly (one row or none per document). */
export function compareIndexed(path: string, operator: ComparisonOperator, literal: Literal): Bounds {
  if (operator === '!=') {
    const equal = compareIndexed(path, '==', literal);
    return { possible: complement(equal.certain), certain: complement(equal.possible), exact: equal.exact };
  }
  const { possible, certain } = operator === '==' ? equalPredicates(literal) : orderPredicates(operator, literal);
  const possibleSet = possible === null ? NONE : rows(path, possible);
  if (possible === certain) return exactly(possibleSet);
  return { possible: possibleSet, certain: certain === null ? NONE : rows(path, certain), exact: false };
}

/**
 * Bounds of `value operator literal` where the value, if any, is among the scalar rows at
 * `elementsPath` (e.g. `@.tags[0]` is one of `$['tags'][*]`): possible only.
 */
export function compareElement(elementsPath: string, operator: ComparisonOperator, literal: Literal): Bounds {
  if (operator === '!=') return UNKNOWN;
  const { possible } = operator === '==' ? equalPredicates(literal) : orderPredicates(operator, literal);
  return { possible: possible === null ? NONE : rows(elementsPath, possible), certain: NONE, exact: false };
}

/** Evaluates `left operator right` for two literals (RFC 9535 comparison). */
export function compareLiterals(left: Literal, operator: ComparisonOperator, right: Literal): Bounds {
  const less = (a: Literal, b: Literal) =>
    (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')
      ? a < b
      : false;
  const results: Record<ComparisonOperator, boolean> = {
    '==': left === right,
    '!=': left !== right,
    '<': less(left, right),
    '>': less(right, left),
    '<=': less(left, right) || left === right,
    '>=': less(right, left) || left === right,
  };
  return exactly(results[operator] ? ALL : NONE);
}
