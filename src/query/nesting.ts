/**
 * The nesting limit of query texts, checked by a cheap iterative scan BEFORE any parser runs:
 * both dialects' parsers (json-p3, and our jsonpath-plus allow-list) recurse once per bracket,
 * parenthesis and prefix operator, so `$[?@[?@[?…` or `!!!!…@.a` a few thousand deep would
 * overflow the stack (a RangeError, not a typed error). No real query nests more than a few levels.
 */
import { invalidQuery } from './errors.js';
import { MAX_QUERY_DEPTH } from './limits.js';

const OPENERS = new Set(['[', '(', '{']);
const CLOSERS = new Set([']', ')', '}']);
/** Prefix operators: each one is a level of recursion in the expression parsers. */
const PREFIX_OPERATORS = new Set(['!', '-', '+']);
const SPACE = /\s/;

/** Index just past the string literal opening at `start` (its end when unterminated). */
function skipString(text: string, start: number): number {
  const quote = text[start];
  let index = start + 1;
  while (index < text.length && text[index] !== quote) index += text[index] === '\\' ? 2 : 1;
  return index + 1;
}

/**
 * Throws `invalid_query` (positioned where the limit is passed) when brackets, parentheses and
 * runs of prefix operators (`!`, `-`, `+`, spaces between them allowed) nest deeper than
 * `maxDepth`. String literals are skipped; unbalanced text is left to the parser to report.
 */
export function checkNesting(text: string, maxDepth = MAX_QUERY_DEPTH): void {
  let depth = 0;
  let operators = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (char === "'" || char === '"') {
      index = skipString(text, index) - 1;
      operators = 0;
    } else if (PREFIX_OPERATORS.has(char)) {
      operators += 1;
    } else if (!SPACE.test(char)) {
      operators = 0;
      if (OPENERS.has(char)) depth += 1;
      else if (CLOSERS.has(char)) depth = Math.max(0, depth - 1);
    }
    if (depth + operators > maxDepth) throw invalidQuery(`query nested deeper than ${maxDepth} levels`, index);
  }
}
