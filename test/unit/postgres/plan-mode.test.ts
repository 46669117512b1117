/**
 * Plans per statement on PostgreSQL: a statement marked GENERIC_PLAN_MARK runs with one plan for
 * all its values, every other one is planned at each run with its values (a generic plan of a
 * sort by a path reads every row of the path), also after a transaction rolled back the SET.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dialectOf, PgDatabase } from '../../../src/store/index.js';
import { dropPostgresDatabase, freshPostgresDatabase } from '../../support/backend.js';

const url = freshPostgresDatabase();
afterAll(() => dropPostgresDatabase(url));

const MODE = "SELECT current_setting('plan_cache_mode') AS mode";
const GENERIC_MODE = dialectOf('postgres').genericPlan(MODE);

function modeOf(db: PgDatabase, sql: string): string {
  return db.prepare<[], string>(sql).pluck().get() as string;
}

describe('plan cache mode per statement', () => {
  it('plans marked statements once and every other statement with its values', () => {
    const db = new PgDatabase(url, { readonly: true });
    try {
      expect(modeOf(db, MODE)).toBe('force_custom_plan');
      expect(modeOf(db, GENERIC_MODE)).toBe('force_generic_plan');
      expect(modeOf(db, GENERIC_MODE)).toBe('force_generic_plan');
      expect(modeOf(db, MODE)).toBe('force_custom_plan');
      expect([...db.prepare<[], { mode: string }>(MODE).iterate()]).toEqual([{ mode: 'force_custom_plan' }]);
    } finally {
      db.close();
    }
  });

  it('plans with the values after a rollback undid the switch to generic plans', () => {
    const db = new PgDatabase(url, { readonly: false });
    try {
      expect(modeOf(db, MODE)).toBe('force_custom_plan');
      expect(() =>
        db.transaction(() => {
          expect(modeOf(db, GENERIC_MODE)).toBe('force_generic_plan');
          throw new Error('rolled back');
        })(),
      ).toThrow('rolled back');
      expect(modeOf(db, GENERIC_MODE)).toBe('force_generic_plan');
      expect(() =>
        db.transaction(() => {
          expect(modeOf(db, MODE)).toBe('force_custom_plan');
          throw new Error('rolled back');
        })(),
      ).toThrow('rolled back');
      // The rollback put back generic plans: the next statement must not run with them.
      expect(modeOf(db, MODE)).toBe('force_custom_plan');
    } finally {
      db.close();
    }
  });
});
