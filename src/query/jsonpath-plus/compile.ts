/**
 * jsonpath-plus queries: checked and split (path.ts), evaluated by jsonpath-plus with
 * `eval: 'safe'` only (never `native`), script errors not selecting (`ignoreEvalErrors`).
 */
import { JSONPath } from 'jsonpath-plus';
import type { JsonValue } from '../../domain/document.js';
import { isOcidexError } from '../../domain/errors.js';
import { tick } from '../budget.js';
import type { CompiledQuery, EvaluatedItem } from '../compiled.js';
import { invalidQuery, resultTooLarge } from '../errors.js';
import { MAX_PLUS_VALUES } from '../limits.js';
import { ALL, exactly, UNKNOWN } from '../plan/ir.js';
import { plusShapeOf, splitPlusPath } from './path.js';
import { hasRewrittenLiteral, readsNestedMembers, translateTruthy } from './translate.js';

/** jsonpath-plus's test for a nested filter, which changes how it reads the expression. */
const NESTED_FILTER = /@.?([^?]*)[['](\??\(.*?\))(?!.\)\])[\]']/u;

/**
 * The sandbox of every script. jsonpath-plus copies it into a fresh object per script run
 * (`Object.assign`), which reads this getter: a budget tick per filter test.
 */
function tickingSandbox(): Record<string, unknown> {
  return Object.defineProperty({}, 'budgetTick', {
    enumerable: true,
    get: () => {
      tick();
      return undefined;
    },
  });
}

interface PlusResult {
  path: string;
  value: JsonValue;
}

/**
 * Runs jsonpath-plus. Script errors on data are ignored (they select nothing); anything it still
 * throws comes from the query text its parser read differently from our allow-list: `invalid_query`.
 */
function evaluate(text: string, json: readonly JsonValue[]): PlusResult[] {
  try {
    return run(text, json);
  } catch (error) {
    if (isOcidexError(error)) throw error;
    throw invalidQuery(`jsonpath-plus cannot evaluate this query: ${(error as Error).message}`, 0, error);
  }
}

/** `_walk` of jsonpath-plus: calls `visit` with each index of an array or key of an object. */
type Walk = (this: unknown, value: unknown, visit: (key: string | number) => void) => void;
const plainWalk = (JSONPath as unknown as { prototype: { _walk: Walk } }).prototype._walk;

/**
 * jsonpath-plus visits children for `*` and `..` through `_walk`; each visit ticks the budget, so a
 * query that multiplies them (`$..*..*^..*^..*`, where each `^` climbs back up to descend again)
 * stops at its deadline instead of running for hours, as its filters alone would not tick.
 */
const budgetedWalk: Walk = function (value, visit) {
  plainWalk.call(this, value, (key) => {
    tick();
    visit(key);
  });
};

function run(text: string, json: readonly JsonValue[]): PlusResult[] {
  let gathered = 0;
  const runner = JSONPath({
    path: text,
    json: json as JsonValue[],
    eval: 'safe',
    ignoreEvalErrors: true,
    wrap: true,
    resultType: 'all',
    // Typed as a Map by jsonpath-plus, used as a plain object.
    sandbox: tickingSandbox() as unknown as Map<string, unknown>,
    autostart: false,
  });
  (runner as unknown as { _walk: Walk })._walk = budgetedWalk;
  // jsonpath-plus gathers every value before it returns: bounded here, as it finds them.
  const gather = () => {
    gathered += 1;
    if (gathered > MAX_PLUS_VALUES) {
      throw resultTooLarge(`this jsonpath-plus query selects more than ${MAX_PLUS_VALUES} values; narrow it`);
    }
  };
  return runner.evaluate(text, json as JsonValue[], gather, undefined) as PlusResult[];
}

/** Compiles a jsonpath-plus query; throws `invalid_query` for anything outside the accepted subset. */
export function compileJsonpathPlus(text: string): CompiledQuery {
  const parts = splitPlusPath(text);
  const shape = plusShapeOf(parts);
  let bounds = UNKNOWN;
  if (shape.kind === 'per-document') {
    const filter = shape.filter;
    const filterText = parts[1]?.text.slice(2, -1) ?? '';
    if (filter === null) bounds = exactly(ALL);
    else if (!hasRewrittenLiteral(filter) && !NESTED_FILTER.test(filterText)) {
      bounds = translateTruthy(filter);
      // Reading a member of a missing parent throws, and a throwing filter selects nothing:
      // the index cannot tell, so only filters over top-level members can be exact.
      if (readsNestedMembers(filter)) bounds = { ...bounds, exact: false };
    }
  }
  return {
    text,
    dialect: 'jsonpath-plus',
    shape: shape.kind,
    selectsDocuments: shape.kind === 'per-document' && shape.selectsDocuments,
    bounds,
    evaluateDocument: (document) => evaluate(text, [document]).map((result) => result.value),
    evaluateArray: (documents) => items(text, documents),
  };
}

function* items(text: string, documents: readonly JsonValue[]): Generator<EvaluatedItem> {
  for (const result of evaluate(text, documents)) {
    const index = /^\$\[(\d+)\]/.exec(result.path);
    yield { value: result.value, documentIndex: index === null ? -1 : Number(index[1]) };
  }
}
