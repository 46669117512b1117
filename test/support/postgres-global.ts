/** vitest globalSetup of the `postgres` project: one throwaway PostgreSQL for the whole run. */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-process.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
