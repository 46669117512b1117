/** Request accounting: every HTTP request sent, by operation and by status. */

/** What a request is for; token fetches and redirects are counted like any other request. */
export type Operation =
  | 'ping'
  | 'catalog'
  | 'tags'
  | 'manifest.get'
  | 'manifest.head'
  | 'blob.get'
  | 'referrers'
  | 'token';

/** Counters of one client. `byStatus` keys are HTTP statuses, or `error` when no response came. */
export interface RequestStats {
  total: number;
  byOperation: Record<Operation, number>;
  byStatus: Record<string, number>;
  retries: number;
}

/** Every operation, in a stable order. */
export const OPERATIONS: readonly Operation[] = [
  'ping',
  'catalog',
  'tags',
  'manifest.get',
  'manifest.head',
  'blob.get',
  'referrers',
  'token',
];

/** Fresh counters, every operation present with 0. */
export function createRequestStats(): RequestStats {
  const byOperation = Object.fromEntries(OPERATIONS.map((operation) => [operation, 0]));
  return { total: 0, byOperation: byOperation as Record<Operation, number>, byStatus: {}, retries: 0 };
}

/** Counts one request as sent. */
export function countRequest(stats: RequestStats, operation: Operation): void {
  stats.total += 1;
  stats.byOperation[operation] += 1;
}

/** Counts the outcome of one request: its status, or `error` when it failed without a response. */
export function countOutcome(stats: RequestStats, status: number | 'error'): void {
  const key = String(status);
  stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
}
