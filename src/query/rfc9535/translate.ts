/**
 * RFC 9535 filter expression -> plan bounds (plan/ir.ts). What is translated: comparisons of a
 * singular member path (or value() of one) with a literal, length() compared with a literal,
 * existence tests, match()/search() on a member path, `&&`, `||`, `!`, and filters over the
 * scalar elements of an array (`@.tags[?@ == 'x']`). Everything else is UNKNOWN, which the
 * exact evaluation of the candidates then decides.
 */
import { jsonpath, type JSONPathQuery } from 'json-p3';
import { MAX_VALUE_DEPTH, ValueType } from '../../store/values.js';
import {
  type Bounds,
  both,
  either,
  exactly,
  negate,
  NONE,
  rows,
  type RowPredicate,
  union,
  UNKNOWN,
  ALL,
} from '../plan/ir.js';
import {
  ANY_ROW,
  compareElement,
  compareIndexed,
  compareLiterals,
  type ComparisonOperator,
  equalPredicates,
  type Literal,
  mirror,
  orderPredicates,
  typeIn,
} from '../plan/predicates.js';
import { isDescendant, namePrefixLength, normalizedPath } from './ast.js';

type FilterExpression = jsonpath.expressions.FilterExpression;
const { IndexSelector, FilterSelector } = jsonpath.selectors;
const expressions = jsonpath.expressions;

type Operand =
  | { kind: 'literal'; value: Literal }
  | { kind: 'indexed'; path: string }
  | { kind: 'element'; path: string }
  | { kind: 'length'; path: string }
  | { kind: 'other' };

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** Bounds of a filter expression in logical context. */
export function translateLogical(expression: FilterExpression): Bounds {
  if (expression instanceof expressions.LogicalExpression) return translateLogical(expression.expression);
  if (expression instanceof expressions.PrefixExpression) return negate(translateLogical(expression.right));
  if (expression instanceof expressions.InfixExpression) {
    if (expression.operator === '&&')
      return both(translateLogical(expression.left), translateLogical(expression.right));
    if (expression.operator === '||')
      return either(translateLogical(expression.left), translateLogical(expression.right));
    if (COMPARISONS.has(expression.operator)) {
      return compare(expression.left, expression.operator as ComparisonOperator, expression.right);
    }
    return UNKNOWN;
  }
  if (expression instanceof expressions.RelativeQuery) return exists(expression.path);
  if (expression instanceof expressions.FunctionExtension) return regexFunction(expression);
  return UNKNOWN;
}

function literalOf(expression: FilterExpression): Literal | undefined {
  if (expression instanceof expressions.NullLiteral) return null;
  if (
    expression instanceof expressions.BooleanLiteral ||
    expression instanceof expressions.StringLiteral ||
    expression instanceof expressions.NumberLiteral
  ) {
    return expression.value;
  }
  return undefined;
}

/** A relative singular query whose value the index holds exactly (indexed) or among array elements. */
function pathOperand(query: JSONPathQuery): Operand {
  const segments = query.segments;
  const names = namePrefixLength(segments);
  if (names > MAX_VALUE_DEPTH || names === 0) return { kind: 'other' };
  if (names === segments.length) return { kind: 'indexed', path: normalizedPath(segments, names) };
  const last = segments[names];
  const isIndex =
    last !== undefined &&
    !isDescendant(last) &&
    last.selectors.length === 1 &&
    last.selectors[0] instanceof IndexSelector;
  if (names === segments.length - 1 && isIndex)
    return { kind: 'element', path: `${normalizedPath(segments, names)}[*]` };
  return { kind: 'other' };
}

function operandOf(expression: FilterExpression): Operand {
  const literal = literalOf(expression);
  if (literal !== undefined) return { kind: 'literal', value: literal };
  if (expression instanceof expressions.RelativeQuery) return pathOperand(expression.path);
  if (expression instanceof expressions.FunctionExtension && expression.args.length === 1) {
    const [argument] = expression.args;
    if (!(argument instanceof expressions.RelativeQuery)) return { kind: 'other' };
    const operand = pathOperand(argument.path);
    if (expression.name === 'value') return operand;
    if (expression.name === 'length' && operand.kind === 'indexed') return { kind: 'length', path: operand.path };
  }
  return { kind: 'other' };
}

function compare(
  leftExpression: FilterExpression,
  operator: ComparisonOperator,
  rightExpression: FilterExpression,
): Bounds {
  let left = operandOf(leftExpression);
  let right = operandOf(rightExpression);
  if (left.kind === 'literal' && right.kind === 'literal') return compareLiterals(left.value, operator, right.value);
  if (left.kind === 'literal') {
    [left, right] = [right, left];
    operator = mirror(operator);
  }
  if (right.kind !== 'literal') return UNKNOWN;
  switch (left.kind) {
    case 'indexed':
      return compareIndexed(left.path, operator, right.value);
    case 'element':
      return compareElement(left.path, operator, right.value);
    case 'length':
      // length() is Nothing unless the value is a string, array or object; Nothing compares false except with !=.
      if (operator === '!=') return UNKNOWN;
      return {
        possible: rows(left.path, typeIn([ValueType.string, ValueType.object, ValueType.array])),
        certain: NONE,
        exact: false,
      };
    default:
      return UNKNOWN;
  }
}

/** match() / search(): only strings can match. */
function regexFunction(expression: jsonpath.expressions.FunctionExtension): Bounds {
  if (expression.name !== 'match' && expression.name !== 'search') return UNKNOWN;
  const [subject] = expression.args;
  const operand = subject === undefined ? { kind: 'other' as const } : operandOf(subject);
  if (operand.kind !== 'indexed') return UNKNOWN;
  return { possible: rows(operand.path, typeIn([ValueType.string])), certain: NONE, exact: false };
}

/** Existence test of a relative query. */
function exists(query: JSONPathQuery): Bounds {
  const segments = query.segments;
  if (segments.length === 0) return exactly(ALL);
  const names = namePrefixLength(segments);
  if (names === segments.length && names <= MAX_VALUE_DEPTH)
    return exactly(rows(normalizedPath(segments, names), ANY_ROW));
  const depth = Math.min(names, MAX_VALUE_DEPTH);
  if (depth === 0) return UNKNOWN;
  const prefix = normalizedPath(segments, depth);
  if (depth < names) return { possible: rows(prefix, typeIn([ValueType.object])), certain: NONE, exact: false };
  const next = segments[depth];
  const filter =
    next !== undefined && !isDescendant(next) && next.selectors.length === 1 ? next.selectors[0] : undefined;
  const containers = rows(prefix, typeIn([ValueType.object, ValueType.array]));
  if (!(filter instanceof FilterSelector) || segments.length !== depth + 1)
    return { possible: containers, certain: NONE, exact: false };
  const element = elementPredicate(filter.expression);
  if (element === null) return { possible: containers, certain: NONE, exact: false };
  const possible = union([rows(`${prefix}[*]`, element), rows(prefix, typeIn([ValueType.object]))]);
  return { possible, certain: NONE, exact: false };
}

/**
 * A filter over array elements as a condition on one `[*]` row, when it only compares `@` with
 * literals through `&&` / `||` (so only a scalar element can satisfy it); else null.
 */
function elementPredicate(expression: FilterExpression): RowPredicate | null {
  if (expression instanceof expressions.LogicalExpression) return elementPredicate(expression.expression);
  if (!(expression instanceof expressions.InfixExpression)) return null;
  const { operator } = expression;
  if (operator === '&&' || operator === '||') {
    const left = elementPredicate(expression.left);
    const right = elementPredicate(expression.right);
    if (left === null || right === null) return null;
    return {
      sql: `(${left.sql}) ${operator === '&&' ? 'AND' : 'OR'} (${right.sql})`,
      params: [...left.params, ...right.params],
    };
  }
  if (!COMPARISONS.has(operator) || operator === '!=') return null;
  let literal = literalOf(expression.right);
  let current = expression.left;
  let comparison = operator as ComparisonOperator;
  if (literal === undefined) {
    literal = literalOf(expression.left);
    current = expression.right;
    comparison = mirror(comparison);
  }
  if (literal === undefined || !(current instanceof expressions.RelativeQuery) || current.path.segments.length > 0)
    return null;
  const { possible } =
    comparison === '==' ? equalPredicates(literal) : orderPredicates(comparison as '<' | '<=' | '>' | '>=', literal);
  return possible ?? { sql: 'FALSE', params: [] };
}
