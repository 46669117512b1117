/** I-Regexp (RFC 9485) matching: the cases the grammar is about, invalid patterns, anchors, Unicode. */
import { describe, expect, it } from 'vitest';
import { fullMatch, searchMatch } from '../../../src/query/iregexp/index.js';

describe('match() semantics', () => {
  it.each([
    ['a.c', 'abc', true],
    ['a.c', 'a\nc', false],
    ['a.c', 'a\rc', false],
    ['a.c', 'a\u2028c', true],
    ['a.c', 'a😀c', true],
    ['a.c', 'a\ud800c', false],
    ['a[.b]c', 'a.c', true],
    ['a\\.c', 'abc', false],
    ['[^a-c]+', 'xyz', true],
    ['[^a-c]+', 'xbz', false],
    ['[a-]+', 'a-a', true],
    ['[-a]', '-', true],
    ['x{2,3}', 'xxx', true],
    ['x{2,3}', 'xxxx', false],
    ['x{2,}', 'xxxxxxx', true],
    ['x{2}', 'xx', true],
    ['(ab|cd)*', 'abcdab', true],
    ['(ab|cd)*', 'abc', false],
    ['', '', true],
    ['', 'a', false],
    ['a|', '', true],
    ['\\p{Lu}\\p{Ll}+', 'Hello', true],
    ['\\P{L}+', '123', true],
    ['[\\p{N}x]+', '1x2', true],
    ['\\p{Nd}', '٣', true],
    ['^ab.*', 'abc', true],
    ['.*bc$', 'abc', true],
    ['a\\tb', 'a\tb', true],
    ['\\{\\}', '{}', true],
  ])('match(%j) on %j is %s', (pattern, input, expected) => {
    expect(fullMatch(input, pattern)).toBe(expected);
  });
});

describe('search() semantics', () => {
  it.each([
    ['b', 'abc', true],
    ['^b', 'abc', false],
    ['c$', 'abc', true],
    ['b$', 'abc', false],
    ['x*', 'abc', true],
    ['[0-9]+', 'v12', true],
    ['\\p{Lu}', 'abc', false],
  ])('search(%j) in %j is %s', (pattern, input, expected) => {
    expect(searchMatch(input, pattern)).toBe(expected);
  });
});

describe('patterns outside I-Regexp never match', () => {
  it.each([
    '\\d',
    '\\w+',
    '(?:a)',
    'a*?',
    'a**',
    '(a',
    'a)',
    '[a',
    'a{2,1}',
    '\\p{Foo}',
    '[]',
    'a{',
    '}',
    '\\1',
    '(?=a)',
    'a{1001}',
    '[z-a]',
  ])('%j', (pattern) => {
    expect(fullMatch('a', pattern)).toBe(false);
    expect(searchMatch('a', pattern)).toBe(false);
  });
});
