import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJson, utf8Text } from '../../../src/decode/json.js';

const nested = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

describe('parseJson', () => {
  it('replaces numbers too large for a double with null wherever they are, the root included', () => {
    expect(parseJson('1e400')).toEqual({ ok: true, value: null });
    expect(parseJson('{"a": [1, -1e400, {"b": 1e400}], "c": 2}')).toEqual({
      ok: true,
      value: { a: [1, null, { b: null }], c: 2 },
    });
  });

  it('keeps a `__proto__` member an own member, also when its number is replaced', () => {
    const parsed = parseJson('{"__proto__": 1e400, "x": {"__proto__": {"y": 1}}}');
    expect(parsed.ok).toBe(true);
    const value = (parsed as { value: Record<string, unknown> }).value;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toBeNull();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).y).toBeUndefined();
  });

  it('accepts nesting up to the limit and refuses one level more', () => {
    expect(parseJson(nested(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(parseJson(nested(MAX_JSON_DEPTH + 1))).toEqual({
      ok: false,
      reason: `nested deeper than ${MAX_JSON_DEPTH} levels`,
    });
    expect(parseJson(nested(100_000)).ok).toBe(false);
  });

  it('says why text is not JSON', () => {
    expect(parseJson('{"a":')).toEqual({ ok: false, reason: 'not valid JSON' });
  });
});

describe('utf8Text', () => {
  it('decodes each call on its own: invalid bytes are undefined and do not affect the next call', () => {
    expect(utf8Text(new Uint8Array([0x7b, 0xc3]))).toBeUndefined();
    expect(utf8Text(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('{}');
    expect(utf8Text(new TextEncoder().encode('é'))).toBe('é');
  });
});
