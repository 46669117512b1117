/**
 * Defensive readers for untrusted JSON: every value from a registry may have any type,
 * so decoders read through these helpers instead of trusting the wire types.
 */
import type { JsonObject, JsonValue } from '../domain/document.js';

/** A plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object, or an empty one when `value` is not an object. */
export function objectOrEmpty(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

/** Deeper JSON is refused: real manifests and configs nest a few levels, and later recursive
 * consumers (JSON.stringify, the index) must not overflow the stack on hostile input. */
export const MAX_JSON_DEPTH = 64;

export type JsonParseResult = { ok: true; value: JsonValue } | { ok: false; reason: string };

/** True when `value` nests arrays/objects deeper than `limit` (iterative: no recursion). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [current, depth] = item;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Numbers too large for a double (`1e400`) parse as Infinity, which JSON cannot carry: null. */
function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** Parses JSON text (never throws): the value, or why it was refused. */
export function parseJson(text: string): JsonParseResult {
  let value: JsonValue;
  try {
    value = JSON.parse(text, finiteOrNull) as JsonValue;
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  if (deeperThan(value, MAX_JSON_DEPTH)) return { ok: false, reason: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  return { ok: true, value };
}

/** UTF-8 bytes as text; `undefined` when they are not valid UTF-8. A BOM is dropped. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A non-empty trimmed string, a finite number as text, else null. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** The first of `keys` in `object` that holds text (see {@link text}). */
export function firstText(object: JsonObject, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = text(member(object, key));
    if (value !== null) return value;
  }
  return null;
}

/** The member `key` of `object` when it is an own member (no prototype lookups). */
export function member(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Strings of a string or an array (other elements skipped). */
export function textList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map(text).filter((item): item is string => item !== null);
}
