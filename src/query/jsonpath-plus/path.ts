/**
 * A jsonpath-plus query split the way jsonpath-plus splits it (`JSONPath.toPathArray`), every
 * part checked against an allow-list, and its shape over the array of documents decided
 * (see rfc9535/shape.ts for the idea).
 */
import { JSONPath } from 'jsonpath-plus';
import { invalidQuery } from '../errors.js';
import { checkNesting } from '../nesting.js';
import { FORBIDDEN_NAMES, type PlusNode, parsePlusExpression } from './expression.js';

/** One part of a jsonpath-plus path, as `JSONPath.toPathArray` splits it. */
export interface PlusPart {
  /** As jsonpath-plus sees it: `$`, `..`, `*`, `~`, `^`, `@string()`, `?(...)`, `(...)`, a slice, a name. */
  text: string;
  /** For `?(...)` (filter) and `(...)` (script): the parsed expression. */
  expression?: PlusNode;
  kind: 'root' | 'structural' | 'filter' | 'script' | 'name';
}

/** jsonpath-plus's own cache of split paths and scripts is unbounded; we reset it past this size. */
const MAX_CACHED_ENTRIES = 1_000;

/** Value-type selectors of jsonpath-plus (`@other()` needs a callback and is refused). */
const TYPE_SELECTOR = /^@(?:null|boolean|number|string|integer|undefined|nonFinite|scalar|array|object|function)\(\)$/;

/** Splits and checks `text`; throws `invalid_query`. */
export function splitPlusPath(text: string): PlusPart[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
  const control = /[\u0000-\u001f\u2028\u2029]/.exec(text);
  if (control !== null) throw invalidQuery('control characters are not allowed', control.index);
  if (!text.startsWith('$')) throw invalidQuery("a jsonpath-plus query starts with '$'", 0);
  checkNesting(text);
  trimCache();
  const parts = JSONPath.toPathArray(text);
  return parts.map((part, index) => checkPart(part, index, text));
}

function trimCache(): void {
  const holder = JSONPath as unknown as { cache: Record<string, unknown> };
  if (Object.keys(holder.cache).length > MAX_CACHED_ENTRIES) holder.cache = {};
}

function checkPart(part: string, index: number, text: string): PlusPart {
  const position = Math.max(0, text.indexOf(part));
  if (index === 0) {
    if (part !== '$') throw invalidQuery("a jsonpath-plus query starts with '$'", 0);
    return { text: part, kind: 'root' };
  }
  if (part.startsWith('?(') && part.endsWith(')')) {
    return { text: part, kind: 'filter', expression: parsePlusExpression(part.slice(2, -1), position + 2) };
  }
  if (part.startsWith('(') && part.endsWith(')')) {
    return { text: part, kind: 'script', expression: parsePlusExpression(part, position) };
  }
  if (['..', '*', '~', '^', '$'].includes(part) || TYPE_SELECTOR.test(part) || /^-?\d*:-?\d*:?\d*$/.test(part)) {
    return { text: part, kind: 'structural' };
  }
  if (part.startsWith('?') || part.startsWith('(') || part.startsWith('@'))
    throw invalidQuery(`unsupported selector '${part}'`, position);
  for (const name of part.split(',')) {
    if (FORBIDDEN_NAMES.has(name.trim())) throw invalidQuery(`member '${name.trim()}' is not allowed`, position);
  }
  return { text: part, kind: 'name' };
}

/** Whether an expression uses a variable that sees beyond the current document. */
export function usesContext(node: PlusNode): boolean {
  switch (node.kind) {
    case 'literal':
      return false;
    case 'member':
      return node.variable !== 'current';
    case 'unary':
      return usesContext(node.operand);
    case 'binary':
      return usesContext(node.left) || usesContext(node.right);
  }
}

/** A name that selects no member of the documents array (not an index, not a list). */
function isPlainName(part: PlusPart): boolean {
  return part.kind === 'name' && !/^\d+$/.test(part.text) && !/[,`]/.test(part.text) && part.text !== 'length';
}

/** How a jsonpath-plus query decomposes over the documents array. */
export type PlusShape =
  | { kind: 'empty' }
  | { kind: 'whole-array' }
  | { kind: 'per-document'; filter: PlusNode | null; selectsDocuments: boolean };

/** `$[?(...)]...`, `$[*]...`, `$..name...` without context variables, parent or property-name steps. */
export function plusShapeOf(parts: readonly PlusPart[]): PlusShape {
  const [, first, second] = parts;
  const rest = parts.slice(2);
  const local = rest.every(
    (part) =>
      part.text !== '^' && part.text !== '~' && (part.expression === undefined || !usesContext(part.expression)),
  );
  // A plain member name selects nothing on the documents array (it only has indices and length).
  if (first !== undefined && isPlainName(first)) return { kind: 'empty' };
  if (first === undefined || !local) return { kind: 'whole-array' };
  const selectsDocuments = rest.length === 0;
  if (first.kind === 'filter' && first.expression !== undefined && !usesContext(first.expression)) {
    return { kind: 'per-document', filter: first.expression, selectsDocuments };
  }
  if (first.text === '*') return { kind: 'per-document', filter: null, selectsDocuments };
  if (first.text === '..' && second !== undefined && isPlainName(second)) {
    return { kind: 'per-document', filter: null, selectsDocuments: false };
  }
  return { kind: 'whole-array' };
}
