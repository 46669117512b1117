/** The throwaway PostgreSQL of tests lives with the demo's launchers (benchmarks use it too). */
export { startPostgres, type PostgresOptions, type RunningPostgres } from '../../src/demo/postgres-process.js';
