/**
 * The syntax tree of an I-Regexp (RFC 9485), over Unicode code points.
 * `^` and `$` outside a character class are anchors, as in the ECMAScript mapping of RFC 9485
 * section 5.3 that the JSONPath compliance suite expects ("explicit caret", "explicit dollar").
 */

/** A test on one code point. */
export type CodePointTest = (codePoint: number) => boolean;

/** A node of the I-Regexp syntax tree. */
export type RegexNode =
  | { kind: 'empty' }
  /** One code point; `literal` when the test accepts exactly that code point. */
  | { kind: 'char'; test: CodePointTest; literal?: number }
  | { kind: 'anchor'; at: 'start' | 'end' }
  | { kind: 'concat'; items: RegexNode[] }
  | { kind: 'alternation'; items: RegexNode[] }
  /** `max` is Infinity for `*`, `+` and `{n,}`. */
  | { kind: 'repeat'; item: RegexNode; min: number; max: number };

/** Thrown for a pattern that is not a valid I-Regexp; match() and search() then return false. */
export class InvalidPattern extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at ${position}`);
  }
}

const CATEGORIES = new Set([
  'L',
  'Lu',
  'Ll',
  'Lt',
  'Lm',
  'Lo',
  'M',
  'Mn',
  'Mc',
  'Me',
  'N',
  'Nd',
  'Nl',
  'No',
  'P',
  'Pc',
  'Pd',
  'Ps',
  'Pe',
  'Pi',
  'Pf',
  'Po',
  'Z',
  'Zs',
  'Zl',
  'Zp',
  'S',
  'Sm',
  'Sc',
  'Sk',
  'So',
  'C',
  'Cc',
  'Cf',
  'Cn',
  'Co',
]);

const categoryTests = new Map<string, RegExp>();

/** `\p{name}` (or `\P{name}` when `negated`) as a test; null when `name` is not an I-Regexp category. */
export function categoryTest(name: string, negated: boolean): CodePointTest | null {
  if (!CATEGORIES.has(name)) return null;
  let expression = categoryTests.get(name);
  if (expression === undefined) {
    // Safe: a one-code-point subject cannot backtrack.
    expression = new RegExp(`^\\p{${name}}$`, 'u');
    categoryTests.set(name, expression);
  }
  const test = expression;
  return (codePoint) => test.test(String.fromCodePoint(codePoint)) !== negated;
}

/** `.`: any code point but line feed and carriage return (RFC 9485 section 5.3), and not a lone surrogate. */
export const anyCharacter: CodePointTest = (codePoint) =>
  codePoint !== 0x0a && codePoint !== 0x0d && (codePoint < 0xd800 || codePoint > 0xdfff);
