/** SQLite's parameter spelling rewritten for PostgreSQL, string literals and comments left alone. */
import { describe, expect, it } from 'vitest';
import { bindValues, translatePlaceholders } from '../../../src/store/pg/placeholders.js';

describe('translatePlaceholders', () => {
  it('numbers ? in order and leaves quoted text, identifiers and comments alone', () => {
    const translated = translatePlaceholders(`SELECT '?', "a?b" FROM t -- why?\nWHERE a = ? AND b = ?`);
    expect(translated.text).toBe(`SELECT '?', "a?b" FROM t -- why?\nWHERE a = $1 AND b = $2`);
    expect(bindValues(translated, [1, undefined])).toEqual([1, null]);
  });

  it('gives each @name one number, bound from an object', () => {
    const translated = translatePlaceholders('WHERE (@registry IS NULL OR registry = @registry) LIMIT @limit');
    expect(translated.text).toBe('WHERE ($1 IS NULL OR registry = $1) LIMIT $2');
    expect(bindValues(translated, [{ limit: 5, registry: 'r' }])).toEqual(['r', 5]);
  });

  it("keeps doubled quotes inside a literal ('it''s ?') and refuses mixed spellings", () => {
    expect(translatePlaceholders("SELECT 'it''s ?' WHERE x = ?").text).toBe("SELECT 'it''s ?' WHERE x = $1");
    expect(() => translatePlaceholders('WHERE a = ? AND b = @b')).toThrow('mixes');
  });
});
