/**
 * A recursive-descent parser for I-Regexp (RFC 9485 section 3), producing `RegexNode`s.
 * Anything outside the grammar (back-references, `\d`, lookarounds, lazy quantifiers, ...)
 * is an InvalidPattern.
 */
import { anyCharacter, categoryTest, type CodePointTest, InvalidPattern, type RegexNode } from './syntax.js';

/** Escapable characters of SingleCharEsc, mapped to the code point they stand for. */
const SINGLE_CHAR_ESCAPES = new Map<string, number>([
  ...[...'()*+-.?[\\]^{|}'].map((char): [string, number] => [char, char.codePointAt(0) ?? 0]),
  ['n', 0x0a],
  ['r', 0x0d],
  ['t', 0x09],
]);

/** Characters that are not NormalChar outside a class (each has a meaning or is reserved). */
const META = new Set([...'()*+.?[]{}|\\']);

/** Largest n or m of `{n,m}`. */
const MAX_QUANTIFIER = 1_000;

/** Parses `pattern`; throws InvalidPattern. */
export function parseIRegexp(pattern: string): RegexNode {
  const parser = new Parser(pattern);
  const node = parser.alternation();
  if (!parser.atEnd()) throw new InvalidPattern(`unexpected '${parser.peek()}'`, parser.position);
  return node;
}

class Parser {
  readonly #chars: string[];
  #index = 0;

  constructor(pattern: string) {
    this.#chars = [...pattern];
    for (const [index, char] of this.#chars.entries()) {
      const code = char.codePointAt(0) ?? 0;
      if (code >= 0xd800 && code <= 0xdfff) throw new InvalidPattern('lone surrogate', index);
    }
  }

  get position(): number {
    return this.#index;
  }

  atEnd(): boolean {
    return this.#index >= this.#chars.length;
  }

  peek(): string | undefined {
    return this.#chars[this.#index];
  }

  #next(): string {
    const char = this.#chars[this.#index];
    if (char === undefined) throw new InvalidPattern('unexpected end', this.#index);
    this.#index += 1;
    return char;
  }

  alternation(): RegexNode {
    const items = [this.#branch()];
    while (this.peek() === '|') {
      this.#index += 1;
      items.push(this.#branch());
    }
    return items.length === 1 ? (items[0] as RegexNode) : { kind: 'alternation', items };
  }

  #branch(): RegexNode {
    const items: RegexNode[] = [];
    while (!this.atEnd() && this.peek() !== '|' && this.peek() !== ')') items.push(this.#piece());
    if (items.length === 0) return { kind: 'empty' };
    return items.length === 1 ? (items[0] as RegexNode) : { kind: 'concat', items };
  }

  #piece(): RegexNode {
    const item = this.#atom();
    const char = this.peek();
    if (char === '*') return this.#quantified(item, 0, Infinity);
    if (char === '+') return this.#quantified(item, 1, Infinity);
    if (char === '?') return this.#quantified(item, 0, 1);
    if (char === '{') return this.#range(item);
    return item;
  }

  #quantified(item: RegexNode, min: number, max: number): RegexNode {
    this.#index += 1;
    return { kind: 'repeat', item, min, max };
  }

  #range(item: RegexNode): RegexNode {
    const start = this.#index;
    this.#index += 1;
    const min = this.#number();
    let max = min;
    if (this.peek() === ',') {
      this.#index += 1;
      max = this.peek() === '}' ? Infinity : this.#number();
    }
    if (this.#next() !== '}' || max < min) throw new InvalidPattern('bad quantifier', start);
    return { kind: 'repeat', item, min, max };
  }

  #number(): number {
    const start = this.#index;
    let digits = '';
    while (/[0-9]/.test(this.peek() ?? '')) digits += this.#next();
    const value = Number(digits);
    if (digits === '' || value > MAX_QUANTIFIER) throw new InvalidPattern('bad quantifier bound', start);
    return value;
  }

  #atom(): RegexNode {
    const start = this.#index;
    const char = this.#next();
    if (char === '(') {
      const inner = this.alternation();
      if (this.#next() !== ')') throw new InvalidPattern("missing ')'", start);
      return inner;
    }
    if (char === '.') return { kind: 'char', test: anyCharacter };
    if (char === '^') return { kind: 'anchor', at: 'start' };
    if (char === '$') return { kind: 'anchor', at: 'end' };
    if (char === '[') return { kind: 'char', test: this.#classExpression() };
    if (char === '\\') return this.#escape(start);
    if (META.has(char)) throw new InvalidPattern(`unexpected '${char}'`, start);
    return literal(char.codePointAt(0) ?? 0);
  }

  /** After `\` outside a class: SingleCharEsc or a category escape. */
  #escape(start: number): RegexNode {
    const char = this.#next();
    const single = SINGLE_CHAR_ESCAPES.get(char);
    if (single !== undefined) return literal(single);
    if (char === 'p' || char === 'P') return { kind: 'char', test: this.#category(char === 'P', start) };
    throw new InvalidPattern(`bad escape '\\${char}'`, start);
  }

  /** After `\p` or `\P`: `{Category}`. */
  #category(negated: boolean, start: number): CodePointTest {
    if (this.#next() !== '{') throw new InvalidPattern('bad category escape', start);
    let name = '';
    while (this.peek() !== '}' && !this.atEnd()) name += this.#next();
    this.#next();
    const test = categoryTest(name, negated);
    if (test === null) throw new InvalidPattern(`unknown category '${name}'`, start);
    return test;
  }

  /** After `[`: `[^]? ('-' | CCE1) CCE1* '-'? ]` */
  #classExpression(): CodePointTest {
    const start = this.#index - 1;
    const negated = this.peek() === '^';
    if (negated) this.#index += 1;
    const tests: CodePointTest[] = [];
    if (this.peek() === '-') {
      this.#index += 1;
      tests.push((codePoint) => codePoint === 0x2d);
    }
    while (this.peek() !== ']') {
      if (this.atEnd()) throw new InvalidPattern("missing ']'", start);
      if (this.peek() === '-') {
        this.#index += 1;
        if (this.peek() !== ']') throw new InvalidPattern("'-' inside a class", this.#index - 1);
        tests.push((codePoint) => codePoint === 0x2d);
        break;
      }
      tests.push(this.#classItem());
    }
    this.#index += 1;
    if (tests.length === 0) throw new InvalidPattern('empty class', start);
    return (codePoint) => tests.some((test) => test(codePoint)) !== negated;
  }

  /** CCE1: a character, a range, or a category escape. */
  #classItem(): CodePointTest {
    const start = this.#index;
    if (this.peek() === '\\' && /[pP]/.test(this.#chars[this.#index + 1] ?? '')) {
      this.#index += 2;
      return this.#category(this.#chars[this.#index - 1] === 'P', start);
    }
    const low = this.#classChar();
    if (this.peek() !== '-' || this.#chars[this.#index + 1] === ']') return (codePoint) => codePoint === low;
    this.#index += 1;
    const high = this.#classChar();
    if (high < low) throw new InvalidPattern('bad class range', start);
    return (codePoint) => codePoint >= low && codePoint <= high;
  }

  /** CCchar: anything but `-`, `[`, `\`, `]`, or a SingleCharEsc. */
  #classChar(): number {
    const start = this.#index;
    const char = this.#next();
    if (char === '\\') {
      const escaped = SINGLE_CHAR_ESCAPES.get(this.#next());
      if (escaped === undefined) throw new InvalidPattern('bad escape in class', start);
      return escaped;
    }
    if (char === '-' || char === '[' || char === ']') throw new InvalidPattern(`unexpected '${char}' in class`, start);
    return char.codePointAt(0) ?? 0;
  }
}

function literal(codePoint: number): RegexNode {
  return { kind: 'char', test: (candidate) => candidate === codePoint, literal: codePoint };
}
