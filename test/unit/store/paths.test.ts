import { describe, expect, it } from 'vitest';
import { PathInterner } from '../../../src/store/paths.js';
import { prepareStatements } from '../../../src/store/statements.js';
import { useTempStore } from './fixtures.js';

describe('PathInterner', () => {
  const current = useTempStore();

  it('keeps at most its bound of cached ids and still gives each path its one id', () => {
    const { store } = current;
    const interner = new PathInterner(prepareStatements(store.db), 100);
    const paths = Array.from({ length: 250 }, (_, index) => `$['annotations']['key-${index}']`);
    const first = store.db.transaction(() => paths.map((path) => interner.intern(path)))();
    expect(interner.cached).toBeLessThanOrEqual(100);
    expect(new Set(first).size).toBe(250);
    // Past the bound, paths read back give the ids stored first: no second row per path.
    const again = store.db.transaction(() => paths.map((path) => interner.intern(path)))();
    expect(again).toEqual(first);
    expect(interner.cached).toBeLessThanOrEqual(100);
    const rows = store.db.prepare<[], unknown>(`SELECT count(*) FROM paths WHERE path LIKE '%key-%'`).pluck().get();
    expect(Number(rows)).toBe(250);
  });
});
