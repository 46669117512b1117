/** Shared setup of the registry client tests. */
import { RegistryClient, type RegistryClientOptions } from '../../../src/registry/index.js';
import type { FakeRegistry } from '../../support/fake-registry.js';

/** Retries with waits of a few milliseconds. */
export const FAST_RETRY = { minDelayMs: 1, maxDelayMs: 4, retryAfterCapMs: 10 } as const;

/** A client for `fake` that never reads the developer's Docker config. */
export function clientFor(fake: FakeRegistry, options: Partial<RegistryClientOptions> = {}): RegistryClient {
  return new RegistryClient({ registry: fake.host, dockerConfigPath: null, retry: FAST_RETRY, ...options });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Everything an async iterable yields. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}
