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

/**
 * Walks a parsed value once: false when it nests arrays/objects deeper than `limit` (the walk
 * stops there, so its recursion is bounded), and numbers too large for a double (`1e400`, parsed
 * as Infinity, which JSON cannot carry) are replaced by null. A reviver passed to JSON.parse did
 * the replacing before, at several times the cost of the parse itself.
 */
function finiteWithin(node: JsonValue, depth: number, limit: number): boolean {
  if (typeof node !== 'object' || node === null) return true;
  if (depth >= limit) return false;
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index += 1) {
      const child = node[index] as JsonValue;
      if (typeof child === 'number' && !Number.isFinite(child)) node[index] = null;
      else if (!finiteWithin(child, depth + 1, limit)) return false;
    }
    return true;
  }
  for (const key of Object.keys(node)) {
    const child = node[key] as JsonValue;
    if (typeof child === 'number' && !Number.isFinite(child)) node[key] = null;
    else if (!finiteWithin(child, depth + 1, limit)) return false;
  }
  return true;
}

/** Parses JSON text (never throws): the value, or why it was refused. */
export function parseJson(text: string): JsonParseResult {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { ok: true, value: null };
  if (!finiteWithin(value, 0, MAX_JSON_DEPTH))
    return { ok: false, reason: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  return { ok: true, value };
}

/** Strict UTF-8 (a BOM is dropped); one decoder for every call, each decode is complete. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes as text; `undefined` when they are not valid UTF-8. A BOM is dropped. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
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
