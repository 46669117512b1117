/**
 * Helpers over json-p3's parsed query (JSONPathQuery.segments, selectors, filter expressions).
 * json-p3 does not export its segment classes; a descendant segment prints as `..[...]`.
 */
import { jsonpath, type JSONPathQuery } from 'json-p3';

type JSONPathSegment = jsonpath.JSONPathSegment;
import { memberSegment } from '../../store/values.js';

type FilterExpression = jsonpath.expressions.FilterExpression;

const { NameSelector, FilterSelector } = jsonpath.selectors;
const { LogicalExpression, InfixExpression, PrefixExpression, FilterQuery, FunctionExtension, RootQuery } =
  jsonpath.expressions;

/** Whether a segment is a descendant segment (`..`). */
export function isDescendant(segment: JSONPathSegment): boolean {
  return segment.toString().startsWith('..');
}

/** The member name a segment selects when it is `.name` / `['name']`, else null. */
export function singleName(segment: JSONPathSegment): string | null {
  if (isDescendant(segment) || segment.selectors.length !== 1) return null;
  const selector = segment.selectors[0];
  return selector instanceof NameSelector ? selector.name : null;
}

/** How many leading segments are single member names. */
export function namePrefixLength(segments: readonly JSONPathSegment[]): number {
  let length = 0;
  while (length < segments.length && singleName(segments[length] as JSONPathSegment) !== null) length += 1;
  return length;
}

/** The normalized path (as in `paths.path`) of the first `length` name segments. */
export function normalizedPath(segments: readonly JSONPathSegment[], length: number): string {
  return `$${segments
    .slice(0, length)
    .map((segment) => memberSegment(singleName(segment) ?? ''))
    .join('')}`;
}

/** The filter expressions directly inside an expression (operands, arguments, nested queries). */
function children(expression: FilterExpression): FilterExpression[] {
  if (expression instanceof LogicalExpression) return [expression.expression];
  if (expression instanceof InfixExpression) return [expression.left, expression.right];
  if (expression instanceof PrefixExpression) return [expression.right];
  if (expression instanceof FunctionExtension) return [...expression.args];
  return [];
}

/** Calls `visit` on every filter expression of `query`, nested queries included. */
export function visitExpressions(query: JSONPathQuery, visit: (expression: FilterExpression) => void): void {
  const walk = (expression: FilterExpression): void => {
    visit(expression);
    if (expression instanceof FilterQuery) visitExpressions(expression.path, visit);
    for (const child of children(expression)) walk(child);
  };
  for (const segment of query.segments) {
    for (const selector of segment.selectors) {
      if (selector instanceof FilterSelector) walk(selector.expression);
    }
  }
}

/** Calls `visit` on every filter selector of `query`, those of nested queries included. */
export function visitFilterSelectors(
  query: JSONPathQuery,
  visit: (selector: jsonpath.selectors.FilterSelector) => void,
): void {
  const walk = (expression: FilterExpression): void => {
    if (expression instanceof FilterQuery) visitFilterSelectors(expression.path, visit);
    for (const child of children(expression)) walk(child);
  };
  for (const segment of query.segments) {
    for (const selector of segment.selectors) {
      if (!(selector instanceof FilterSelector)) continue;
      visit(selector);
      walk(selector.expression);
    }
  }
}

/** Whether any filter of `query` refers to the root (`$`), i.e. to the whole array of documents. */
export function refersToRoot(query: JSONPathQuery): boolean {
  let found = false;
  visitExpressions(query, (expression) => {
    if (expression instanceof RootQuery) found = true;
  });
  return found;
}
