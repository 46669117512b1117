/**
 * Typed scalar values per document path: what the index stores so queries can be planned as SQL.
 *
 * A document yields one row per node reachable from its root through object member names
 * (paths in RFC 9535 normalized form relative to the document, e.g. `$['model']['license']`),
 * and one row per scalar element of an array reached that way, under the array's path plus
 * `[*]` (e.g. `$['tags'][*]`). Arrays are not descended further than their scalar elements.
 *
 * The rows are a superset-friendly prefilter, never the answer: the query engine always
 * verifies candidates with the exact evaluator. The planner relies on these rules:
 * - every object member at depth <= MAX_VALUE_DEPTH has a row (so existence can be planned);
 * - a string longer than MAX_INDEXED_STRING has a row of type `string` with `value` null;
 * - a document yields at most MAX_VALUES_PER_DOCUMENT rows; past that `truncated` is true and
 *   the index marks the document so the planner always includes it as a candidate.
 */
import type { JsonValue } from '../domain/document.js';

export const ValueType = {
  null: 0,
  false: 1,
  true: 2,
  number: 3,
  string: 4,
  object: 5,
  array: 6,
} as const;
export type ValueTypeCode = (typeof ValueType)[keyof typeof ValueType];

export const MAX_VALUE_DEPTH = 8;
export const MAX_INDEXED_STRING = 512;
export const MAX_VALUES_PER_DOCUMENT = 2000;

export interface TypedValue {
  path: string;
  type: ValueTypeCode;
  /** number for `number`, string for `string` (null when too long), else null. */
  value: number | string | null;
}

export interface FlattenResult {
  values: TypedValue[];
  truncated: boolean;
}

/** The RFC 9535 normalized-path segment for an object member name. */
export function memberSegment(name: string): string {
  let escaped = '';
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "'") escaped += "\\'";
    else if (char === '\\') escaped += '\\\\';
    else if (code === 0x08) escaped += '\\b';
    else if (code === 0x0c) escaped += '\\f';
    else if (code === 0x0a) escaped += '\\n';
    else if (code === 0x0d) escaped += '\\r';
    else if (code === 0x09) escaped += '\\t';
    else if (code < 0x20) escaped += `\\u${code.toString(16).padStart(4, '0')}`;
    else escaped += char;
  }
  return `['${escaped}']`;
}

export function typeOf(value: JsonValue): ValueTypeCode {
  if (value === null) return ValueType.null;
  if (value === true) return ValueType.true;
  if (value === false) return ValueType.false;
  if (typeof value === 'number') return ValueType.number;
  if (typeof value === 'string') return ValueType.string;
  return Array.isArray(value) ? ValueType.array : ValueType.object;
}

function scalarValue(value: JsonValue): number | string | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.length <= MAX_INDEXED_STRING ? value : null;
  return null;
}

/** Most paths kept by `memberPath` and `elementsPath`; past it they are built each time (names are registry content). */
const MAX_CACHED_PATHS = 10_000;
/** Member paths by parent path, then member name; the path of an array's elements by the array's path. */
const memberPaths = new Map<string, Map<string, string>>();
const elementPaths = new Map<string, string>();
let cachedPaths = 0;

/**
 * The path of `parent`'s member `name`. Documents repeat the same few dozen paths, so each is
 * built once and the same string used again: no segment escaped and no new string hashed per
 * row when the store interns it.
 */
function memberPath(parent: string, name: string): string {
  let members = memberPaths.get(parent);
  const cached = members?.get(name);
  if (cached !== undefined) return cached;
  const path = parent + memberSegment(name);
  if (cachedPaths < MAX_CACHED_PATHS) {
    if (members === undefined) {
      members = new Map();
      memberPaths.set(parent, members);
    }
    members.set(name, path);
    cachedPaths += 1;
  }
  return path;
}

/** The path of the scalar elements of the array at `parent`, cached like `memberPath`. */
function elementsPath(parent: string): string {
  const cached = elementPaths.get(parent);
  if (cached !== undefined) return cached;
  const path = `${parent}[*]`;
  if (cachedPaths < MAX_CACHED_PATHS) {
    elementPaths.set(parent, path);
    cachedPaths += 1;
  }
  return path;
}

/** Flattens a document (the root object) into typed rows, per the rules above. */
export function flattenDocument(document: JsonValue): FlattenResult {
  const values: TypedValue[] = [];
  let truncated = false;
  const push = (row: TypedValue): boolean => {
    if (values.length >= MAX_VALUES_PER_DOCUMENT) {
      truncated = true;
      return false;
    }
    values.push(row);
    return true;
  };
  const visit = (node: JsonValue, path: string, depth: number): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      let elements: string | undefined;
      for (const element of node) {
        if (element !== null && typeof element === 'object') continue;
        elements ??= elementsPath(path);
        if (!push({ path: elements, type: typeOf(element), value: scalarValue(element) })) return;
      }
      return;
    }
    if (depth >= MAX_VALUE_DEPTH) return;
    for (const key of Object.keys(node)) {
      const child = node[key] as JsonValue;
      const childPath = memberPath(path, key);
      if (!push({ path: childPath, type: typeOf(child), value: scalarValue(child) })) return;
      visit(child, childPath, depth + 1);
    }
  };
  visit(document, '$', 0);
  return { values, truncated };
}
