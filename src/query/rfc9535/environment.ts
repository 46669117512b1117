/**
 * The RFC 9535 environment: json-p3's, with match() and search() replaced by the linear-time
 * I-Regexp matcher (iregexp/) and the evaluation budget ticked on every object visit and filter
 * test, so neither a pathological pattern nor a pathological query can hang the process.
 */
import {
  FunctionExpressionType,
  type FilterFunction,
  jsonpath,
  JSONPathEnvironment,
  JSONPathSyntaxError,
  type JSONValue,
  type Token,
  TokenKind,
} from 'json-p3';
import { tick } from '../budget.js';
import { fullMatch, searchMatch } from '../iregexp/index.js';
import { MAX_RECURSION_DEPTH } from '../limits.js';

/** match() / search(): LogicalType, two ValueType arguments; false unless both are strings. */
class RegexFunction implements FilterFunction {
  readonly argTypes = [FunctionExpressionType.ValueType, FunctionExpressionType.ValueType];
  readonly returnType = FunctionExpressionType.LogicalType;

  constructor(readonly run: (input: string, pattern: string) => boolean) {}

  call(input: unknown, pattern: unknown): boolean {
    if (typeof input !== 'string' || typeof pattern !== 'string') return false;
    return this.run(input, pattern);
  }
}

/** RFC 9535 section 2.3.5.1: `number = (int / "-0") [ frac ] [ exp ]`, `int = "0" / (["-"] DIGIT1 *DIGIT)`. */
const NUMBER_LITERAL = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/**
 * json-p3 2.3.1 rejects every number literal starting with "0" of more than one character, so
 * `@.accuracy > 0.9` would be a syntax error; this follows the RFC grammar instead.
 */
function parseNumber(stream: { current: Token }): jsonpath.expressions.NumberLiteral {
  const { value } = stream.current;
  if (!NUMBER_LITERAL.test(value)) throw new JSONPathSyntaxError(`invalid number literal '${value}'`, stream.current);
  return new jsonpath.expressions.NumberLiteral(stream.current, Number(value));
}

/** json-p3's standard environment, bounded. */
export class BoundedEnvironment extends JSONPathEnvironment {
  constructor() {
    super({ strict: true, maxRecursionDepth: MAX_RECURSION_DEPTH });
    const parser = (this as unknown as { parser: { tokenMap: Map<TokenKind, typeof parseNumber> } }).parser;
    parser.tokenMap.set(TokenKind.NUMBER, parseNumber);
  }

  protected override setupFilterFunctions(): void {
    super.setupFilterFunctions();
    this.functionRegister.set('match', new RegexFunction(fullMatch));
    this.functionRegister.set('search', new RegexFunction(searchMatch));
  }

  override entries(object: { [key: string]: JSONValue }): Array<[string, JSONValue]> {
    tick();
    return Object.entries(object);
  }
}

/** The one environment every RFC 9535 query is compiled in. */
export const ENVIRONMENT = new BoundedEnvironment();
