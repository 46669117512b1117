/** The leader lock on SQLite: a file has one process serving it, which always leads (PostgreSQL: test/unit/postgres). */
import { afterEach, describe, expect, it } from 'vitest';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';

let temp: TempIndex | undefined;

afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

describe('leader lock on SQLite', () => {
  it('always leads, and has no lock to release', () => {
    temp = tempIndex();
    expect(temp.index.db.dialect).toBe('sqlite');
    expect(temp.index.tryLead('scheduler')).toBe(true);
    expect(temp.index.tryLead('scheduler')).toBe(true);
    expect(temp.index.releaseLead('scheduler')).toBe(false);
  });
});
