/**
 * Query pools in tests: the workers run the TypeScript source of query-worker.ts (the default,
 * query-worker.js, exists only in dist), loaded through typescript-register.mjs.
 */
import type { QueryPoolSettings } from '../../src/query/index.js';

/** Pool settings whose workers run the sources under test, plus `overrides`. */
export function testPoolSettings(overrides: QueryPoolSettings = {}): QueryPoolSettings {
  return {
    workerFile: new URL('../../src/query/pool/query-worker.ts', import.meta.url).href,
    execArgv: ['--import', new URL('./typescript-register.mjs', import.meta.url).href],
    ...overrides,
  };
}
