/**
 * jsonpath-plus filter -> plan bounds, with JavaScript semantics: a filter selects a document
 * when its value is truthy; a script error (reading a member of undefined) makes it not select
 * (`ignoreEvalErrors`), which only ever removes documents, so bounds stay supersets.
 * Translated: truthiness of `@.a.b`, `===` / `!==` with literals, `== null` / `!= null`,
 * `<` `<=` `>` `>=` with numbers and strings, `&&`, `||`, `!`. Anything else is UNKNOWN.
 */
import { MAX_VALUE_DEPTH, memberSegment, ValueType } from '../../store/values.js';
import { ALL, type Bounds, both, complement, either, exactly, negate, NONE, rows, union, UNKNOWN } from '../plan/ir.js';
import {
  ANY_ROW,
  compareIndexed,
  type ComparisonOperator,
  mirror,
  NUMBER,
  ordersLikeSqlite,
  STRING,
  typeIn,
} from '../plan/predicates.js';
import type { PlusNode } from './expression.js';

type Scalar = string | number | boolean | null | undefined;

const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '<=', '>', '>=']);

/** A member name that might resolve to a JavaScript built-in (`length`, `toString`, indices) is not indexed. */
function isIndexableName(name: string | number): name is string {
  if (typeof name !== 'string' || /^\d+$/.test(name)) return false;
  const prototypes = [Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype];
  return !prototypes.some((prototype) => name in prototype);
}

/** The normalized path of `@.a.b` when indexed, else null. */
function indexedPath(node: PlusNode): string | null {
  if (node.kind !== 'member' || node.variable !== 'current') return null;
  if (node.path.length === 0 || node.path.length > MAX_VALUE_DEPTH || !node.path.every(isIndexableName)) return null;
  return `$${node.path.map((name) => memberSegment(String(name))).join('')}`;
}

function literalOf(node: PlusNode): { value: Scalar } | null {
  if (node.kind === 'literal') return { value: node.value };
  if (
    node.kind === 'unary' &&
    node.operator === '-' &&
    node.operand.kind === 'literal' &&
    typeof node.operand.value === 'number'
  ) {
    return { value: -node.operand.value };
  }
  return null;
}

/** True when some string literal holds `@`: jsonpath-plus rewrites `@...` even inside strings. */
export function hasRewrittenLiteral(node: PlusNode): boolean {
  if (node.kind === 'literal') return typeof node.value === 'string' && node.value.includes('@');
  if (node.kind === 'unary') return hasRewrittenLiteral(node.operand);
  if (node.kind === 'binary') return hasRewrittenLiteral(node.left) || hasRewrittenLiteral(node.right);
  return false;
}

/** True when the filter reads a member below a top-level one (which throws when its parent is missing). */
export function readsNestedMembers(node: PlusNode): boolean {
  if (node.kind === 'member') return node.path.length > 1;
  if (node.kind === 'unary') return readsNestedMembers(node.operand);
  if (node.kind === 'binary') return readsNestedMembers(node.left) || readsNestedMembers(node.right);
  return false;
}

/** Falsy values: null, false, 0, '' (undefined has no row); a long string (stored NULL) is not ''. */
const TRUTHY_ROW = {
  sql: `NOT (type IN (${ValueType.null}, ${ValueType.false}) OR (type = ${ValueType.number} AND ${NUMBER} = 0) OR (type = ${ValueType.string} AND coalesce(${STRING} = '', FALSE)))`,
  params: [],
};

/** Bounds of the documents for which `node` is truthy. */
export function translateTruthy(node: PlusNode): Bounds {
  const literal = literalOf(node);
  if (literal !== null) return exactly(literal.value ? ALL : NONE);
  if (node.kind === 'unary' && node.operator === '!') return negate(translateTruthy(node.operand));
  if (node.kind === 'member') {
    const path = indexedPath(node);
    return path === null ? UNKNOWN : exactly(rows(path, TRUTHY_ROW));
  }
  if (node.kind !== 'binary') return UNKNOWN;
  if (node.operator === '&&') return both(translateTruthy(node.left), translateTruthy(node.right));
  if (node.operator === '||') return either(translateTruthy(node.left), translateTruthy(node.right));
  return COMPARISONS.has(node.operator) ? translateComparison(node.operator, node.left, node.right) : UNKNOWN;
}

function translateComparison(operator: string, leftNode: PlusNode, rightNode: PlusNode): Bounds {
  let path = indexedPath(leftNode);
  let literal = literalOf(rightNode);
  let comparison = operator;
  if (path === null || literal === null) {
    path = indexedPath(rightNode);
    literal = literalOf(leftNode);
    if (['<', '<=', '>', '>='].includes(operator)) comparison = mirror(operator as ComparisonOperator);
  }
  if (path === null || literal === null) return UNKNOWN;
  const value = literal.value;
  switch (comparison) {
    case '===':
      return strictEqual(path, value);
    case '!==':
      return negate(strictEqual(path, value));
    case '==':
      return value === null || value === undefined ? looseNull(path) : UNKNOWN;
    case '!=':
      return value === null || value === undefined ? negate(looseNull(path)) : UNKNOWN;
    default:
      return relational(path, comparison as '<' | '<=' | '>' | '>=', value);
  }
}

function strictEqual(path: string, value: Scalar): Bounds {
  // `=== undefined`: the member is missing (or reading it fails, which selects nothing).
  if (value === undefined) return { possible: complement(rows(path, ANY_ROW)), certain: NONE, exact: false };
  return compareIndexed(path, '==', value);
}

/** `== null`: null or missing; certainly when the row says null. */
function looseNull(path: string): Bounds {
  return {
    possible: complement(rows(path, { sql: `type <> ${ValueType.null}`, params: [] })),
    certain: rows(path, typeIn([ValueType.null])),
    exact: false,
  };
}

/**
 * `<` and friends convert to numbers unless both sides are strings; arrays and objects convert
 * through their string form. A number literal: numbers compare exactly, any other present
 * value might. A string literal: strings compare exactly (when SQLite orders them the same),
 * arrays and objects might, and other types only when the literal reads as a number.
 */
function relational(path: string, operator: '<' | '<=' | '>' | '>=', value: Scalar): Bounds {
  if (typeof value === 'number') {
    const numbers = compareIndexed(path, operator, value);
    const others = rows(path, { sql: `type <> ${ValueType.number}`, params: [] });
    return { possible: union([numbers.possible, others]), certain: numbers.certain, exact: false };
  }
  if (typeof value !== 'string') return UNKNOWN;
  const strings = ordersLikeSqlite(value)
    ? compareIndexed(path, operator, value)
    : { possible: rows(path, typeIn([ValueType.string])), certain: NONE };
  const numeric = value.trim() === '' || !Number.isNaN(Number(value));
  const others = numeric
    ? rows(path, { sql: `type <> ${ValueType.string}`, params: [] })
    : rows(path, typeIn([ValueType.object, ValueType.array]));
  return { possible: union([strings.possible, others]), certain: strings.certain, exact: false };
}
