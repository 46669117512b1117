/** Following a query's cursors, as a client pages through its results. */
import type { JsonValue } from '../../../src/domain/document.js';
import type { QueryEngine, QueryOptions } from '../../../src/query/index.js';

/** One page as a client sees it: its items and the cursor of the next. */
export interface SeenPage {
  items: JsonValue[];
  next: string | null;
}

/** Every page of `text` (items and next cursor), following cursors (at most 400 pages). */
export function pagesOf(engine: QueryEngine, text: string, options: QueryOptions): SeenPage[] {
  const result: SeenPage[] = [];
  let cursor: string | undefined;
  do {
    const page = engine.query(text, { ...options, ...(cursor === undefined ? {} : { cursor }) });
    result.push({ items: page.items, next: page.nextCursor ?? null });
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && result.length < 400);
  return result;
}
