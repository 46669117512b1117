import { describe, expect, it } from 'vitest';
import { flattenDocument, MAX_INDEXED_STRING, ValueType } from '../../../src/store/values.js';

const rows = (document: Parameters<typeof flattenDocument>[0]) =>
  flattenDocument(document).values.map((row) => [row.path, row.type, row.value]);

describe('flattenDocument', () => {
  it('gives one row per member and per scalar array element, in normalized paths', () => {
    const long = 'x'.repeat(MAX_INDEXED_STRING + 1);
    expect(rows({ a: { "it's": 1, 'b\\c': null }, tags: ['v1', 2, { deep: true }, false], long })).toEqual([
      ["$['a']", ValueType.object, null],
      ["$['a']['it\\'s']", ValueType.number, 1],
      ["$['a']['b\\\\c']", ValueType.null, null],
      ["$['tags']", ValueType.array, null],
      ["$['tags'][*]", ValueType.string, 'v1'],
      ["$['tags'][*]", ValueType.number, 2],
      ["$['tags'][*]", ValueType.false, null],
      ["$['long']", ValueType.string, null],
    ]);
  });

  it('tells a member named like the elements segment from the elements of an array', () => {
    expect(rows({ list: ['x'], '[*]': 'member' })).toEqual([
      ["$['list']", ValueType.array, null],
      ["$['list'][*]", ValueType.string, 'x'],
      ["$['[*]']", ValueType.string, 'member'],
    ]);
  });

  it('gives the same paths for a document seen again, and past the paths it keeps', () => {
    // 8 documents of 2,000 distinct paths each: more than the paths flattenDocument keeps.
    for (const prefix of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      const members = Object.fromEntries(Array.from({ length: 2_100 }, (_, index) => [`${prefix}${index}`, [index]]));
      const first = flattenDocument({ [prefix]: members });
      expect(flattenDocument({ [prefix]: members })).toEqual(first);
      expect(first.truncated).toBe(true);
      expect(first.values.slice(-3)).toEqual([
        { path: `$['${prefix}']['${prefix}998']`, type: ValueType.array, value: null },
        { path: `$['${prefix}']['${prefix}998'][*]`, type: ValueType.number, value: 998 },
        { path: `$['${prefix}']['${prefix}999']`, type: ValueType.array, value: null },
      ]);
    }
  });
});
