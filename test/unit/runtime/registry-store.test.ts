import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegistryConfig } from '../../../src/domain/registry.js';
import { IndexRegistryStore, type RegistryChange } from '../../../src/runtime/index.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';

let temp: TempIndex;
let store: IndexRegistryStore;
let changes: RegistryChange[];
beforeEach(() => {
  temp = tempIndex();
  store = new IndexRegistryStore(temp.index);
  changes = [];
  store.onChange((change) => changes.push(change));
});
afterEach(() => temp.cleanup());

const LOCAL: RegistryConfig = {
  id: 'local',
  url: 'http://127.0.0.1:5000',
  credentials: { passwordEnv: 'OCIDEX_CRED_LOCAL_TOKEN' },
  schedule: '0 * * * *',
};

describe('IndexRegistryStore', () => {
  it('creates, reads, lists, updates by merge patch and removes, through the index', async () => {
    expect(await store.create(LOCAL)).toEqual(LOCAL);
    await store.create({ id: 'a-first', url: 'a.test' });
    expect((await store.list()).map((config) => config.id)).toEqual(['a-first', 'local']);
    expect(await store.get('local')).toEqual(LOCAL);
    const updated = await store.update('local', { schedule: null, include: ['models/**'], concurrency: 2 });
    expect(updated).toEqual({
      id: 'local',
      url: LOCAL.url,
      credentials: LOCAL.credentials,
      include: ['models/**'],
      concurrency: 2,
    });
    expect(await new IndexRegistryStore(temp.index).get('local')).toEqual(updated);
    expect(await store.update('missing', { concurrency: 1 })).toBeNull();
    expect(await store.remove('local')).toBe(true);
    expect(await store.remove('local')).toBe(false);
    expect(changes.map((change) => [change.id, change.config?.schedule ?? null])).toEqual([
      ['local', '0 * * * *'],
      ['a-first', null],
      ['local', null],
      ['local', null],
    ]);
    expect(changes.at(-1)?.config).toBeNull();
  });

  it('refuses a taken id and a schedule cron-parser cannot read', async () => {
    await store.create(LOCAL);
    await expect(store.create(LOCAL)).rejects.toMatchObject({
      code: 'invalid_argument',
      message: "registry 'local' already exists",
    });
    await expect(store.update('local', { schedule: '61 * * * *' })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/^schedule: invalid cron/),
    });
    expect((await store.get('local'))?.schedule).toBe('0 * * * *');
  });

  it('stores only the known fields: nothing that could be a secret', async () => {
    const sneaky = {
      ...LOCAL,
      password: 'hunter2',
      credentials: { passwordEnv: 'OCIDEX_CRED_LOCAL_TOKEN', token: 'hunter3' },
    } as unknown as RegistryConfig;
    await store.create(sneaky);
    const raw = JSON.stringify(temp.index.db.prepare('SELECT * FROM registry_configs').all());
    expect(raw).not.toMatch(/hunter/);
    expect(await store.get('local')).toEqual(LOCAL);
  });

  it('syncs the file: upserts its registries over API changes and drops file registries it no longer lists', async () => {
    await store.create({ id: 'from-api', url: 'api.test' });
    store.syncFile([LOCAL, { id: 'old', url: 'old.test' }]);
    await store.update('local', { concurrency: 3 });
    const result = store.syncFile([LOCAL]);
    expect(result).toEqual({ upserted: 1, removed: 1 });
    expect((await store.list()).map((config) => config.id)).toEqual(['from-api', 'local']);
    expect(await store.get('local')).toEqual(LOCAL);
    expect(temp.index.getRegistryConfig('local')?.source).toBe('file');
    expect(temp.index.getRegistryConfig('from-api')?.source).toBe('api');
  });
});
