/**
 * Turning a stream of (position, items) into one page: skip what a cursor already returned, take
 * `limit` items, look one item ahead to know whether another page exists. Shared by the engine
 * and the plain evaluator, which feeds it the documents of the sorted array.
 */
import type { JsonValue } from '../domain/document.js';
import type { Cursor } from './cursor.js';
import { resultTooLarge } from './errors.js';
import { comparePositions, type Position } from './sort.js';

/** What a page asks for: where to resume, how many items, and the caps. */
export interface PageRequest {
  cursor: Cursor | null;
  limit: number | null;
  maxResults: number;
  descending: boolean;
}

/** One page of items and where the next one starts. */
export interface Page {
  items: JsonValue[];
  /** Where the next page starts (after the last item returned), or null when nothing follows. */
  next: Cursor | null;
  /** The stream ended within this page. */
  exhausted: boolean;
}

/** Collects a page from document-position entries in output order. */
export class PageBuilder {
  readonly items: JsonValue[] = [];
  #next: Cursor | null = null;
  #full = false;
  readonly #want: number;

  constructor(readonly request: PageRequest) {
    this.#want = request.limit ?? request.maxResults;
  }

  get full(): boolean {
    return this.#full;
  }

  /** Whether a document at `position` is before the cursor (already returned). */
  before(position: Position): boolean {
    const cursor = this.request.cursor;
    if (cursor?.kind !== 'position') return false;
    const cursorPosition = { key: cursor.key, reference: cursor.reference };
    return comparePositions(position, cursorPosition, this.request.descending) < 0;
  }

  /** Adds the items of the document at `position`; returns false once the page is full. */
  add(position: Position, items: readonly JsonValue[]): boolean {
    const cursor = this.request.cursor;
    let start = 0;
    if (cursor?.kind === 'position' && cursor.reference === position.reference && !this.before(position)) {
      const same = comparePositions(position, { key: cursor.key, reference: cursor.reference }, false) === 0;
      if (same) start = cursor.skip;
    }
    for (let index = start; index < items.length; index += 1) {
      if (this.items.length === this.#want) {
        if (this.request.limit === null)
          throw resultTooLarge(`more than ${this.request.maxResults} items; use limit and cursor`);
        this.#full = true;
        return false;
      }
      this.items.push(items[index] as JsonValue);
      this.#next = { kind: 'position', key: position.key, reference: position.reference, skip: index + 1 };
    }
    return true;
  }

  /** The page; `next` only when an item beyond the page was seen. */
  finish(): Page {
    return { items: this.items, next: this.#full ? this.#next : null, exhausted: !this.#full };
  }
}

/** A page of a whole-array evaluation: items after the cursor's offset. */
export function pageByOffset(
  values: Iterable<JsonValue>,
  cursor: Cursor | null,
  limit: number | null,
  maxResults: number,
): Page {
  const offset = cursor?.kind === 'offset' ? cursor.offset : 0;
  const want = limit ?? maxResults;
  const items: JsonValue[] = [];
  let seen = 0;
  for (const value of values) {
    seen += 1;
    if (seen <= offset) continue;
    if (items.length === want) {
      if (limit === null) throw resultTooLarge(`more than ${maxResults} items; use limit and cursor`);
      return { items, next: { kind: 'offset', offset: offset + want }, exhausted: false };
    }
    items.push(value);
  }
  return { items, next: null, exhausted: true };
}
