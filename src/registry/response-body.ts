/**
 * A response body as the transport hands it up: the chunks undici delivers, read as an async
 * iterable, with backpressure (the connection is paused while HIGH_WATER_BYTES wait unread).
 * It stands in for undici's `request()` body, a full Readable stream per response that cost the
 * crawl more CPU than the few reads it serves (bench:crawl).
 */

/** What the layers above the transport need of a body (a Readable with `dump` satisfies it). */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  readonly destroyed: boolean;
  readonly readableEnded: boolean;
  /** Stops reading; an unfinished response closes its connection. */
  destroy(): void;
  /** Reads and drops up to `limit` bytes (the connection is reused), destroys past that. */
  dump(options?: { limit: number }): Promise<unknown>;
}

/** Unread bytes past which the connection stops being read until the reader catches up. */
const HIGH_WATER_BYTES = 64 * 1024;
const DEFAULT_DUMP_LIMIT = 128 * 1024;

/** How the body pauses, resumes and aborts its response (undici's dispatch controller). */
export interface BodySource {
  pause(): void;
  resume(): void;
  abort(reason: Error): void;
}

export class StreamedBody implements ResponseBody {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #finished = false;
  #error: unknown = undefined;
  #wake: (() => void) | null = null;
  #destroyed = false;
  #paused = false;

  constructor(private readonly source: BodySource) {}

  get destroyed(): boolean {
    return this.#destroyed;
  }

  get readableEnded(): boolean {
    return this.#finished && this.#error === undefined && this.#chunks.length === 0;
  }

  /** A chunk arrived: queued; the connection pauses when too much waits unread. */
  push(chunk: Uint8Array): void {
    if (this.#destroyed) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered >= HIGH_WATER_BYTES && !this.#paused) {
      this.#paused = true;
      this.source.pause();
    }
    this.#notify();
  }

  /** The response ended, completely (`error` undefined) or not. */
  finish(error?: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#error = error;
    this.#notify();
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#chunks = [];
    if (!this.#finished) this.source.abort(new Error('response body destroyed'));
    this.finish(new Error('response body destroyed'));
  }

  async dump(options: { limit: number } = { limit: DEFAULT_DUMP_LIMIT }): Promise<void> {
    let read = 0;
    for await (const chunk of this) {
      read += chunk.length;
      if (read > options.limit) {
        this.destroy();
        return;
      }
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return { next: () => this.#next() };
  }

  async #next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      const chunk = this.#chunks.shift();
      if (chunk !== undefined) {
        this.#buffered -= chunk.length;
        if (this.#paused && this.#buffered < HIGH_WATER_BYTES) {
          this.#paused = false;
          this.source.resume();
        }
        return { value: chunk, done: false };
      }
      if (this.#finished) {
        if (this.#error !== undefined) throw this.#error;
        return { value: undefined, done: true };
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
