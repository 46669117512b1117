/**
 * Helpers of the push benchmark: polling the API until a pushed artifact is there, a service
 * logger that keeps what the event sink reports.
 */
import type { ServiceLogger } from '../src/runtime/index.js';

/**
 * Polls `GET url` every `intervalMs` (from the end of one answer to the next request) until it
 * answers 200; resolves with the ms it took from `startedAt`, or null past `capMs`.
 */
export async function pollUntilFound(
  url: string,
  startedAt: number,
  intervalMs: number,
  capMs: number,
): Promise<number | null> {
  for (;;) {
    const response = await fetch(url);
    await response.arrayBuffer();
    const elapsed = performance.now() - startedAt;
    if (response.status === 200) return elapsed;
    if (response.status !== 404) throw new Error(`GET ${url} answered ${response.status}`);
    if (elapsed >= capMs) return null;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** What the event sink logged: how long each applied event took, and the failures. */
export interface SinkRecord {
  logger: ServiceLogger;
  appliedMs: number[];
  failures: string[];
}

export function recordingLogger(): SinkRecord {
  const record: SinkRecord = { logger: { info() {}, error() {} }, appliedMs: [], failures: [] };
  record.logger = {
    info(message, fields) {
      if (message === 'push event applied' && typeof fields?.['ms'] === 'number') record.appliedMs.push(fields['ms']);
    },
    error(message, fields) {
      record.failures.push(`${message}: ${String(fields?.['error'] ?? '')}`);
    },
  };
  return record;
}
