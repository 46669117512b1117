/** RFC 9535 queries: parsed once with json-p3 (bounded environment), shaped, translated to bounds. */
import { type JSONPathQuery, JSONPathError, JSONPathRecursionLimitError } from 'json-p3';
import type { JsonValue } from '../../domain/document.js';
import { tick } from '../budget.js';
import type { CompiledQuery, EvaluatedItem } from '../compiled.js';
import { invalidQuery, resultTooLarge } from '../errors.js';
import { checkNesting } from '../nesting.js';
import { ALL, exactly, UNKNOWN } from '../plan/ir.js';
import { visitFilterSelectors } from './ast.js';
import { ENVIRONMENT } from './environment.js';
import { shapeOf } from './shape.js';
import { translateLogical } from './translate.js';

/** Parses `text` as RFC 9535; throws `invalid_query` with the position of the offending token. */
export function parseRfc9535(text: string): JSONPathQuery {
  checkNesting(text);
  let query: JSONPathQuery;
  try {
    query = ENVIRONMENT.compile(text);
  } catch (error) {
    if (error instanceof JSONPathError) throw invalidQuery(error.message, error.token.index, error);
    throw error;
  }
  // Tick the budget on every filter test: nested filters multiply work within one document.
  visitFilterSelectors(query, (selector) => {
    const expression = selector.expression;
    const evaluate = expression.evaluate.bind(expression);
    expression.evaluate = (context) => {
      tick();
      return evaluate(context);
    };
  });
  return query;
}

/** Compiles an RFC 9535 query for the engine and the plain evaluator. */
export function compileRfc9535(text: string): CompiledQuery {
  const query = parseRfc9535(text);
  const shape = shapeOf(query);
  let bounds = UNKNOWN;
  if (shape.kind === 'per-document') bounds = shape.filter === null ? exactly(ALL) : translateLogical(shape.filter);
  return {
    text,
    dialect: 'rfc9535',
    shape: shape.kind,
    selectsDocuments: shape.kind === 'per-document' && shape.selectsDocuments,
    bounds,
    evaluateDocument: (document) => guard(() => query.query([document]).values() as JsonValue[]),
    evaluateArray: (documents) => lazyItems(query, documents),
  };
}

function* lazyItems(query: JSONPathQuery, documents: readonly JsonValue[]): Generator<EvaluatedItem> {
  const nodes = guard(() => query.lazyQuery(documents as JsonValue[]));
  while (true) {
    tick();
    const next = guard(() => nodes.next());
    if (next.done === true) return;
    const [first] = next.value.location;
    yield { value: next.value.value as JsonValue, documentIndex: typeof first === 'number' ? first : -1 };
  }
}

/** Evaluation errors json-p3 can raise on data (not on the query) as typed errors. */
function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof JSONPathRecursionLimitError) {
      throw resultTooLarge('a descendant segment went past the nesting limit of the evaluator');
    }
    throw error;
  }
}
