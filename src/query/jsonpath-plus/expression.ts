/**
 * The script expressions the jsonpath-plus dialect accepts inside `?(...)` and `(...)`: a small,
 * side-effect-free subset of JavaScript, checked BEFORE jsonpath-plus sees the query. No calls,
 * no assignments, no regular-expression literals, no identifiers but literals and `@` variables,
 * and no member named like a prototype gadget: the public code-execution payloads against
 * jsonpath-plus (CVE-2024-21534, CVE-2025-1302, `constructor` / `__proto__` /
 * `__lookupGetter__` tricks) all need one of these. Evaluation then uses its safe evaluator only.
 */
import { invalidQuery } from '../errors.js';

/** The `@` variables of jsonpath-plus scripts (`@` is `current`). */
export type PlusVariable = 'current' | 'property' | 'parent' | 'parentProperty' | 'root' | 'path';

/** A checked script expression. */
export type PlusNode =
  | { kind: 'literal'; value: string | number | boolean | null | undefined }
  | { kind: 'member'; variable: PlusVariable; path: Array<string | number> }
  | { kind: 'unary'; operator: '!' | '-' | '+'; operand: PlusNode }
  | { kind: 'binary'; operator: string; left: PlusNode; right: PlusNode };

/** Member names never accepted: prototype gadgets. */
export const FORBIDDEN_NAMES = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

const VARIABLES: Record<string, PlusVariable> = {
  '@': 'current',
  '@property': 'property',
  '@parent': 'parent',
  '@parentProperty': 'parentProperty',
  '@root': 'root',
  '@path': 'path',
};

/** Binary operators by precedence level, lowest first (as in JavaScript). */
const LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['===', '!==', '==', '!='],
  ['<=', '>=', '<', '>'],
  ['+', '-'],
  ['*', '/', '%'],
];

const TOKEN = new RegExp(
  [
    String.raw`(?<space>\s+)`,
    String.raw`(?<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`,
    String.raw`(?<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")`,
    String.raw`(?<variable>@(?:parentProperty|parent|property|root|path)?)`,
    String.raw`(?<name>[A-Za-z_$][A-Za-z0-9_$]*)`,
    // `++` / `--` are update operators to jsep (jsonpath-plus's parser), wherever they appear.
    String.raw`(?<update>\+\+|--)`,
    String.raw`(?<operator>===|!==|==|!=|<=|>=|&&|\|\||[<>!+\-*/%.()[\]])`,
  ].join('|'),
  'y',
);

interface Token {
  kind: 'number' | 'string' | 'variable' | 'name' | 'operator' | 'end';
  text: string;
  position: number;
}

function tokenize(source: string, offset: number): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const position = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (match === null) throw invalidQuery(`unexpected '${source[position]}' in script expression`, offset + position);
    const [kind, text] = Object.entries(match.groups ?? {}).find(([, value]) => value !== undefined) ?? ['', ''];
    if (kind === 'update') throw invalidQuery(`'${text}' (an update operator) is not allowed`, offset + position);
    if (kind !== 'space') tokens.push({ kind: kind as Token['kind'], text, position: offset + position });
  }
  tokens.push({ kind: 'end', text: '', position: offset + source.length });
  return tokens;
}

/** Parses a script expression (the text inside `?(...)`); `offset` positions errors in the query. */
export function parsePlusExpression(source: string, offset: number): PlusNode {
  const parser = new ExpressionParser(tokenize(source, offset), source, offset);
  const node = parser.expression(0);
  parser.expectEnd();
  return node;
}

class ExpressionParser {
  #index = 0;

  constructor(
    readonly tokens: Token[],
    readonly source: string,
    readonly offset: number,
  ) {}

  get #current(): Token {
    return this.tokens[this.#index] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  #fail(message: string, token = this.#current): never {
    throw invalidQuery(message, token.position);
  }

  expectEnd(): void {
    if (this.#current.kind !== 'end') this.#fail(`unexpected '${this.#current.text}'`);
  }

  #accept(text: string): boolean {
    if (this.#current.kind !== 'operator' || this.#current.text !== text) return false;
    this.#index += 1;
    return true;
  }

  expression(level: number): PlusNode {
    const operators = LEVELS[level];
    if (operators === undefined) return this.#unary();
    let left = this.expression(level + 1);
    while (this.#current.kind === 'operator' && operators.includes(this.#current.text)) {
      const operator = this.#current.text;
      this.#index += 1;
      left = { kind: 'binary', operator, left, right: this.expression(level + 1) };
    }
    return left;
  }

  #unary(): PlusNode {
    const token = this.#current;
    if (token.kind === 'operator' && (token.text === '!' || token.text === '-' || token.text === '+')) {
      this.#index += 1;
      return { kind: 'unary', operator: token.text, operand: this.#unary() };
    }
    return this.#primary();
  }

  #primary(): PlusNode {
    const token = this.#current;
    this.#index += 1;
    if (token.kind === 'number') return { kind: 'literal', value: Number(token.text) };
    if (token.kind === 'string') return { kind: 'literal', value: unquote(token.text) };
    if (token.kind === 'variable') return this.#member(token);
    if (token.kind === 'name') return { kind: 'literal', value: keyword(token, this) };
    if (token.kind === 'operator' && token.text === '(') {
      const inner = this.expression(0);
      if (!this.#accept(')')) this.#fail("expected ')'");
      return inner;
    }
    return this.#fail(`unexpected '${token.text || 'end'}'`, token);
  }

  /** `@`-variable followed by `.name`, `['name']`, `[0]`. */
  #member(token: Token): PlusNode {
    const variable = VARIABLES[token.text] as PlusVariable;
    // jsonpath-plus rewrites `@` only before `.`, `[`, `)` or a space; anything else is an error there.
    const after = this.source[token.position - this.offset + token.text.length];
    if (variable === 'current' && (after === undefined || !/[.\s)[]/.test(after)))
      this.#fail("'@' must be followed by '.', '[' or a space", token);
    const path: Array<string | number> = [];
    while (true) {
      if (this.#accept('.')) path.push(this.#name());
      else if (this.#accept('[')) path.push(this.#computed());
      else break;
    }
    if (this.#current.kind === 'operator' && this.#current.text === '(') this.#fail('function calls are not allowed');
    return { kind: 'member', variable, path };
  }

  #name(): string {
    const token = this.#current;
    if (token.kind !== 'name') this.#fail('expected a member name');
    this.#index += 1;
    return checkName(token.text, token);
  }

  #computed(): string | number {
    const token = this.#current;
    this.#index += 1;
    let key: string | number;
    if (token.kind === 'string') key = checkName(unquote(token.text), token);
    else if (token.kind === 'number' && /^\d+$/.test(token.text)) key = Number(token.text);
    else return this.#fail('only a string or an integer may index a member', token);
    if (!this.#accept(']')) this.#fail("expected ']'");
    return key;
  }

  failAt(message: string, token: Token): never {
    return this.#fail(message, token);
  }
}

function checkName(name: string, token: Token): string {
  if (FORBIDDEN_NAMES.has(name)) throw invalidQuery(`member '${name}' is not allowed`, token.position);
  return name;
}

function keyword(token: Token, parser: ExpressionParser): boolean | null | undefined {
  const keywords: Record<string, boolean | null | undefined> = { true: true, false: false, null: null, undefined };
  if (!Object.hasOwn(keywords, token.text)) return parser.failAt(`identifier '${token.text}' is not allowed`, token);
  return keywords[token.text];
}

/** A string literal's value as jsep (the parser of jsonpath-plus's safe evaluator) reads it. */
function unquote(literal: string): string {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };
  let value = '';
  for (let index = 1; index < literal.length - 1; index += 1) {
    const char = literal[index] as string;
    if (char !== '\\') {
      value += char;
      continue;
    }
    index += 1;
    const escaped = literal[index] as string;
    value += escapes[escaped] ?? escaped;
  }
  return value;
}
