/**
 * Operations endpoints of issue 11: `/readyz` of the real service says not ready when the index
 * cannot be written (it said ready while every crawl end failed), and `/metrics` can require the
 * read token.
 */
import { nativeSqlite } from '../../support/sqlite-native.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../../src/embedded/index.js';
import { silentLogger } from '../../../src/runtime/index.js';
import { testPoolSettings } from '../../support/query-pool.js';
import { ADMIN_TOKEN, apiFixture, bearer, READ_TOKEN, type ApiFixture } from '../api/support.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';

let temp: TempIndex | undefined;
let service: RunningService | undefined;
let fixture: ApiFixture | undefined;
afterEach(async () => {
  await service?.close();
  temp?.cleanup();
  fixture?.cleanup();
  temp = service = fixture = undefined;
});

describe('/readyz', () => {
  it('regression: said ready on an index that takes no writes; answers 503 naming indexWritable', async () => {
    temp = tempIndex();
    temp.index.close();
    service = await startService({
      db: temp.path,
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      processMetrics: false,
      api: {},
      queryPool: testPoolSettings(),
    });
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    nativeSqlite(service.index.db).pragma('query_only = ON');
    const response = await fetch(`${service.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ checks: { index: true, indexWritable: false } });
    nativeSqlite(service.index.db).pragma('query_only = OFF');
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
  });
});

describe('/metrics behind the read token', () => {
  it('needs the read or admin token when metricsRequireToken is set, and stays open otherwise', async () => {
    fixture = apiFixture({ adminToken: ADMIN_TOKEN, readToken: READ_TOKEN, metricsRequireToken: true });
    expect((await fixture.app.request('/metrics')).status).toBe(401);
    expect((await fixture.app.request('/metrics', { headers: bearer('wrong') })).status).toBe(401);
    expect((await fixture.app.request('/metrics', { headers: bearer(READ_TOKEN) })).status).toBe(200);
    expect((await fixture.app.request('/metrics', { headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
    fixture.cleanup();
    fixture = apiFixture({ metricsRequireToken: true });
    expect((await fixture.app.request('/metrics')).status).toBe(403);
    fixture.cleanup();
    fixture = apiFixture({ adminToken: ADMIN_TOKEN, readToken: READ_TOKEN });
    expect((await fixture.app.request('/metrics')).status).toBe(200);
  });
});
