import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogRoutes, readCatalog } from '../../../src/api/catalog.js';
import { createApp } from '../../../src/api/index.js';
import { apiFixture } from './support.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A build like `npm run build` makes: index.html naming one hashed script. */
function fakeBuild(): string {
  const directory = mkdtempSync(join(tmpdir(), 'ocidex-catalog-'));
  directories.push(directory);
  mkdirSync(join(directory, 'assets'));
  writeFileSync(
    join(directory, 'index.html'),
    '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>',
  );
  writeFileSync(join(directory, 'assets', 'index-abc123.js'), 'console.log(1)');
  return directory;
}

describe('the catalog at /', () => {
  it('answers index.html with no-cache for every page path, and hashed assets as immutable', async () => {
    const app = catalogRoutes(readCatalog(fakeBuild()));
    for (const path of ['/', '/registries', '/queries', '/models/localhost%3A5000%2Fmodels%2Fa%40sha256%3A00']) {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('/assets/index-abc123.js');
    }
    const asset = await app.request('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('answers 404 for an unknown asset and for path tricks (nothing outside the build is read)', async () => {
    const app = catalogRoutes(readCatalog(fakeBuild()));
    expect((await app.request('/assets/missing.js')).status).toBe(404);
    expect((await app.request('/assets/..%2Findex.html')).status).toBe(404);
    expect((await app.request('/assets/%2E%2E%2F%2E%2E%2Fpackage.json')).status).toBe(404);
  });

  it('says how to build it when there is no build', async () => {
    const response = await catalogRoutes(null).request('/');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('npm run build');
  });

  it('is mounted by createApp without the read token (the page is public; its API calls are not)', async () => {
    const fixture = apiFixture({ adminToken: 'a'.repeat(20), readToken: 'r'.repeat(20) });
    try {
      const app = createApp({ ...fixture.deps, config: fixture.deps.config, catalog: readCatalog(fakeBuild()) });
      expect((await app.request('/')).status).toBe(200);
      expect((await app.request('/v1/models')).status).toBe(401);
    } finally {
      fixture.cleanup();
    }
  });
});
