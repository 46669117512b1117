/**
 * Collects per-item crawl errors (Artifact Hub tracker style): every error is counted by code,
 * at most `cap` are kept for the index's error table, and none stops the crawl.
 */
import type { CrawlErrorRecord } from '../domain/crawl.js';
import { toOcidexError, type ErrorCode } from '../domain/errors.js';
import { truncateText } from '../registry/index.js';

export const DEFAULT_ERROR_CAP = 1000;

/**
 * Stored messages are cut to this length: they are shown by the API to anyone who may read, and
 * say what failed (a code, a short reason), never what a server answered at length.
 */
export const MAX_STORED_MESSAGE_CHARS = 500;

export class ErrorCollector {
  readonly records: CrawlErrorRecord[] = [];
  readonly byCode: Partial<Record<ErrorCode, number>> = {};
  total = 0;

  constructor(
    readonly registry: string,
    private readonly cap = DEFAULT_ERROR_CAP,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** Records an error of one item (a repository, a tag, a digest). */
  add(repository: string | null, reference: string | null, error: unknown): void {
    const failure = toOcidexError(error);
    this.addCode(repository, reference, failure.code, failure.message);
  }

  addCode(repository: string | null, reference: string | null, code: ErrorCode, message: string): void {
    this.total += 1;
    this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    if (this.records.length >= this.cap) return;
    const shown = truncateText(message, MAX_STORED_MESSAGE_CHARS);
    this.records.push({ registry: this.registry, repository, reference, code, message: shown, at: this.now() });
  }

  /** Records taken since the last call (to store them as the crawl goes). */
  drain(): CrawlErrorRecord[] {
    return this.records.splice(0, this.records.length);
  }
}
