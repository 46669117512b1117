/**
 * I-Regexp (RFC 9485) matching for the JSONPath match() and search() functions, in linear time.
 * JavaScript's RegExp backtracks: `(a+)+$` against "aaaa...b" takes exponential time, so a query
 * (or a document holding a pattern) could hang the process. Here patterns are parsed by our own
 * I-Regexp parser and run as an NFA simulation that ticks the query budget.
 */
import { REGEX_CACHE_SIZE } from '../limits.js';
import { parseIRegexp } from './parse.js';
import { compileProgram, type Program } from './program.js';
import { runProgram } from './run.js';
import { InvalidPattern } from './syntax.js';

export { parseIRegexp } from './parse.js';
export type { RegexNode } from './syntax.js';
export { InvalidPattern } from './syntax.js';

/** Compiled patterns by text; `null` marks an invalid (or too large) pattern. */
const cache = new Map<string, Program | null>();

function programFor(pattern: string): Program | null {
  const cached = cache.get(pattern);
  if (cached !== undefined) {
    cache.delete(pattern);
    cache.set(pattern, cached);
    return cached;
  }
  let program: Program | null = null;
  try {
    program = compileProgram(parseIRegexp(pattern));
  } catch (error) {
    if (!(error instanceof InvalidPattern)) throw error;
  }
  if (cache.size >= REGEX_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, program);
  return program;
}

/** RFC 9535 match(): true when `input` as a whole matches the I-Regexp `pattern`; false when invalid. */
export function fullMatch(input: string, pattern: string): boolean {
  const program = programFor(pattern);
  return program !== null && runProgram(program, input, true);
}

/** RFC 9535 search(): true when some substring of `input` matches `pattern`; false when invalid. */
export function searchMatch(input: string, pattern: string): boolean {
  const program = programFor(pattern);
  return program !== null && runProgram(program, input, false);
}
