import { defineConfig } from 'vitest/config';

/** The index and query suites, run again on PostgreSQL (see test/support/backend.ts). */
const POSTGRES_SUITES = [
  'test/unit/store/{documents,sync,referrers,crawl-runs,invariants}.test.ts',
  'test/unit/query/{differential/differential,engine,facet-counts,semantics,statements,text-ranking,untrusted,pool}.test.ts',
  'test/unit/postgres/**/*.test.ts',
  'test/integration/crawl-registry.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: ['test/unit/postgres/**'] } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_SUITES,
          env: { OCIDEX_TEST_BACKEND: 'postgres' },
          globalSetup: ['test/support/postgres-global.ts'],
        },
      },
    ],
  },
});
