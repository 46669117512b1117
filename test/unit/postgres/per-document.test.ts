/**
 * A driven plan on PostgreSQL checks the rest of the condition once per driving document
 * (`Dialect.perDocument`): PostgreSQL would otherwise turn each EXISTS into a join and, when its
 * statistics misjudge a value's rows, read that value's whole set into a hash (at 1M documents,
 * 25 ms instead of 1 for 873 driving documents).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryEngine } from '../../../src/query/index.js';
import { type IndexStore, openIndex } from '../../../src/store/index.js';
import { dropPostgresDatabase, freshPostgresDatabase } from '../../support/backend.js';
import { modelDocument, modelInfo } from '../../support/documents.js';

const url = freshPostgresDatabase();
let store: IndexStore;

beforeAll(() => {
  store = openIndex(url);
  const documents = Array.from({ length: 60 }, (_, index) => {
    const label = `model-${index}`;
    return modelDocument(label, { model: modelInfo(label, { metrics: { accuracy: index / 60 } }) });
  });
  store.putDocuments(documents);
});

afterAll(() => {
  store?.close();
  dropPostgresDatabase(url);
});

/** The statements `work` prepares, with the arguments of their runs. */
function statementsOf(work: () => void): Array<{ sql: string; params: unknown[] }> {
  const db = store.db;
  const prepare = db.prepare.bind(db);
  const seen: Array<{ sql: string; params: unknown[] }> = [];
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const all = statement.all.bind(statement);
    statement.all = (...params: unknown[]) => {
      seen.push({ sql, params });
      return all(...params);
    };
    return statement;
  }) as typeof db.prepare;
  try {
    work();
  } finally {
    db.prepare = prepare;
  }
  return seen;
}

describe('a driven plan on PostgreSQL', () => {
  it('checks the other counted sets per driving document: a subplan, not a join', () => {
    // A driver limit under the first count's cap: no small set is read with the counts, so the
    // 3 accurate documents drive and the 60 models are checked per driving document.
    const engine = new QueryEngine(store.db, { driverCandidateLimit: 200 });
    const text = "$[?@.model.metrics.accuracy >= 0.95 && @.kind == 'model']";
    let names: string[] = [];
    const statements = statementsOf(() => {
      const page = engine.query(text, { limit: 100 });
      expect(page.plan.sql?.split(':')[0]).toBe('driven-by-reference');
      names = page.items.map((item) => (item as { model: { name: string } }).model.name).sort();
    });
    const expected = ['model-57', 'model-58', 'model-59'];
    expect(names).toEqual(expected);
    const driven = statements.find((statement) => statement.sql.includes('FROM c JOIN documents d'));
    expect(driven).toBeDefined();
    const plan = store.db
      .prepare<unknown[], Record<string, string>>(`EXPLAIN ${driven?.sql}`)
      .all(...(driven?.params ?? []))
      .map((row) => Object.values(row)[0])
      .join('\n');
    expect(plan).toMatch(/SubPlan/);
    expect(plan).not.toMatch(/Semi Join|Hash Join/);
  });
});
