/** Schema v2 and the index methods of service mode: setTag, run progress, registry configs. */
import { nativeSqlite } from '../../support/sqlite-native.js';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyCounts } from '../../../src/domain/crawl.js';
import type { IndexStore } from '../../../src/store/index.js';
import { verifyIndex } from '../../../src/store/index.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/store/schema.js';
import { AT, REGISTRY, REPOSITORY, modelDocument, tempIndexes, type TempIndexes } from './fixtures.js';

let temp: TempIndexes;
let store: IndexStore;
beforeEach(() => {
  temp = tempIndexes();
  store = temp.open();
});
afterEach(() => temp.cleanup());

describe('migration v2', () => {
  it('upgrades a v1 file in place, keeping its runs', () => {
    temp.cleanup();
    temp = tempIndexes();
    const raw = new Database(temp.path);
    raw.exec(MIGRATIONS[0] ?? '');
    raw.pragma('user_version = 1');
    raw
      .prepare(`INSERT INTO crawl_runs (registry, params, status, started_at) VALUES ('old.test', '{}', 'running', ?)`)
      .run(AT);
    raw.close();
    const upgraded = temp.open();
    expect(nativeSqlite(upgraded.db).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(upgraded.getRun(1)).toMatchObject({
      registry: 'old.test',
      status: 'running',
      summary: null,
      progress: null,
    });
    expect(upgraded.listRegistryConfigs()).toEqual([]);
  });
});

describe('setTag', () => {
  it('tags a document, records the event and re-materializes its tags; setting it again changes nothing', () => {
    const model = modelDocument('llama');
    store.putDocuments([model]);
    expect(store.setTag(REGISTRY, REPOSITORY, 'v1', model.digest, AT)).toBe(true);
    expect(store.setTag(REGISTRY, REPOSITORY, 'v1', model.digest, AT)).toBe(false);
    expect(store.getDocument(model.reference)?.tags).toEqual(['v1']);
    expect(store.tagHistory(REGISTRY, REPOSITORY)).toEqual([
      { tag: 'v1', oldDigest: null, newDigest: model.digest, at: AT },
    ]);
    expect(verifyIndex(store.db)).toEqual([]);
  });

  it('moves a tag: the old document loses it, the new one shows it', () => {
    const [old, next] = [modelDocument('old'), modelDocument('new')];
    store.putDocuments([old, next]);
    store.setTag(REGISTRY, REPOSITORY, 'latest', old.digest, AT);
    store.setTag(REGISTRY, REPOSITORY, 'latest', next.digest, AT);
    expect(store.getDocument(old.reference)?.tags).toEqual([]);
    expect(store.getDocument(next.reference)?.tags).toEqual(['latest']);
    expect(store.tagHistory(REGISTRY, REPOSITORY).map((event) => event.oldDigest)).toEqual([null, old.digest]);
    expect(verifyIndex(store.db)).toEqual([]);
  });

  it('records a tag of a digest not indexed yet; the document shows it once put', () => {
    const model = modelDocument('later');
    store.setTag(REGISTRY, REPOSITORY, 'v2', model.digest, AT);
    store.putDocuments([model]);
    expect(store.getDocument(model.reference)?.tags).toEqual(['v2']);
  });
});

describe('run progress', () => {
  it('shows the counts so far of a running run, then the final summary', () => {
    const runId = store.startRun(REGISTRY, { trigger: 'api' });
    expect(store.getRun(runId)).toMatchObject({ summary: null, progress: null });
    store.recordErrors(runId, [
      { registry: REGISTRY, repository: 'a', reference: null, code: 'denied', message: 'no', at: AT },
    ]);
    const counts = { ...emptyCounts(), repositories: 2, manifestsNew: 3, errors: 1 };
    expect(store.updateRunProgress(runId, counts)).toBe(true);
    const running = store.getRun(runId);
    expect(running).toMatchObject({ status: 'running', progress: counts, summary: null });
    expect(store.listRuns()[0]?.progress).toEqual(counts);
    const final = { ...counts, repositories: 5 };
    store.finishRun(runId, {
      registry: REGISTRY,
      counts: final,
      errorsByCode: { denied: 1 },
      requests: { total: 0, byOperation: {} },
      startedAt: AT,
      finishedAt: AT,
      durationMs: 0,
      status: 'succeeded',
      fatal: null,
    });
    expect(store.updateRunProgress(runId, counts)).toBe(false);
    expect(store.getRun(runId)).toMatchObject({ status: 'succeeded', progress: final, summary: { counts: final } });
  });
});

describe('registry configs', () => {
  it('inserts only when free, replaces on request, lists by id and deletes', () => {
    const config = { id: 'local', url: 'http://127.0.0.1:5000', credentials: { passwordEnv: 'OCIDEX_CRED_TOKEN' } };
    expect(store.putRegistryConfig({ id: 'local', config, source: 'file' }, { replace: false })).toBe(true);
    expect(
      store.putRegistryConfig({ id: 'local', config: { ...config, url: 'other' }, source: 'api' }, { replace: false }),
    ).toBe(false);
    store.putRegistryConfig(
      { id: 'a-first', config: { id: 'a-first', url: 'a.test' }, source: 'api' },
      { replace: true },
    );
    expect(store.listRegistryConfigs().map((stored) => [stored.id, stored.source])).toEqual([
      ['a-first', 'api'],
      ['local', 'file'],
    ]);
    expect(store.getRegistryConfig('local')?.config).toEqual(config);
    store.putRegistryConfig({ id: 'local', config: { ...config, url: 'b.test' }, source: 'api' }, { replace: true });
    expect(store.getRegistryConfig('local')).toMatchObject({ source: 'api', config: { url: 'b.test' } });
    expect(store.deleteRegistryConfig('local')).toBe(true);
    expect(store.deleteRegistryConfig('local')).toBe(false);
    expect(store.getRegistryConfig('local')).toBeNull();
  });
});
