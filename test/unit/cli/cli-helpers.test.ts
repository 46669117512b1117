import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCredentials } from '../../../src/cli/credentials.js';
import { formatSummary } from '../../../src/cli/summary-format.js';
import { splitTarget } from '../../../src/cli/target.js';
import { emptyCounts, type CrawlSummary } from '../../../src/domain/crawl.js';

describe('readCredentials', () => {
  it('reads the password from stdin without its trailing newline', async () => {
    const credentials = await readCredentials(
      { username: 'robot', passwordStdin: true },
      {},
      Readable.from(['pa55\n']),
    );
    expect(credentials).toEqual({ username: 'robot', password: 'pa55' });
  });

  it('falls back to OCIDEX_USERNAME / OCIDEX_PASSWORD, and to nothing', async () => {
    expect(await readCredentials({}, { OCIDEX_USERNAME: 'u', OCIDEX_PASSWORD: 'p' })).toEqual({
      username: 'u',
      password: 'p',
    });
    expect(await readCredentials({}, {})).toBeUndefined();
  });

  it('refuses a username without any password', async () => {
    await expect(readCredentials({ username: 'robot' }, {})).rejects.toThrow(/--password-stdin or OCIDEX_PASSWORD/);
  });
});

describe('splitTarget', () => {
  it.each([
    ['localhost:5000', { registry: 'localhost:5000', repository: null }],
    ['ghcr.io/acme/models/llm', { registry: 'ghcr.io', repository: 'acme/models/llm' }],
    ['http://127.0.0.1:5000/team/x/', { registry: 'http://127.0.0.1:5000', repository: 'team/x' }],
  ])('%s', (target, expected) => {
    expect(splitTarget(target)).toEqual(expected);
  });
});

describe('formatSummary', () => {
  it('names counts, errors by code, requests by operation and a fatal cause', () => {
    const summary: CrawlSummary = {
      registry: 'r.example',
      counts: { ...emptyCounts(), repositories: 2, manifestsNew: 3, errors: 2 },
      errorsByCode: { digest_mismatch: 2 },
      requests: { total: 9, byOperation: { 'manifest.get': 3, 'manifest.head': 6 } },
      startedAt: 'a',
      finishedAt: 'b',
      durationMs: 1500,
      status: 'failed',
      fatal: { code: 'unauthorized', message: 'bad credentials' },
    };
    const text = formatSummary(summary, [
      { registry: 'r.example', repository: 'm', reference: 'v1', code: 'digest_mismatch', message: 'lying', at: 'c' },
    ]);
    expect(text).toContain('Crawl of r.example failed in 1.50 s');
    expect(text).toContain('manifests     3 new, 0 unchanged, 0 removed (2.0/s new)');
    expect(text).toContain('errors        2 (digest_mismatch 2)');
    expect(text).toContain('requests      9 (manifest.head 6, manifest.get 3), 3.00 per manifest');
    expect(text).toContain('failed: unauthorized: bad credentials');
    expect(text).toContain('! digest_mismatch m v1: lying');
  });
});
