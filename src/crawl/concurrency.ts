/** Bounded concurrency over a (possibly async, possibly endless) stream of items. */

/**
 * Runs `worker` over `items` with at most `limit` in flight, pulling items lazily so a
 * paged source (a catalog) is never held whole. Rejections propagate after in-flight work ends;
 * workers are expected to catch their own per-item errors.
 */
export async function forEachConcurrent<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  worker: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator = toAsyncIterator(items);
  let failure: unknown = null;
  const lane = async (): Promise<void> => {
    while (failure === null && !signal?.aborted) {
      const next = await iterator.next();
      if (next.done) return;
      try {
        await worker(next.value);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  const lanes = Array.from({ length: Math.max(1, limit) }, lane);
  const outcomes = await Promise.allSettled(lanes);
  for (const outcome of outcomes) if (outcome.status === 'rejected') failure ??= outcome.reason;
  if (failure !== null) throw failure;
}

/** Serializes `next()` calls so several lanes can share one iterator safely. */
function toAsyncIterator<T>(items: Iterable<T> | AsyncIterable<T>): { next(): Promise<IteratorResult<T>> } {
  const source =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();
  let chain: Promise<unknown> = Promise.resolve();
  return {
    next(): Promise<IteratorResult<T>> {
      const result = chain.then(() => source.next());
      chain = result.catch(() => undefined);
      return result as Promise<IteratorResult<T>>;
    },
  };
}
