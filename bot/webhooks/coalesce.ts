export interface CoalesceOptions {
  /** Most items in one flush. */
  maxBatch?: number;
  /**
   * Flushes running at once (default 1); items arriving meanwhile wait and go together in the
   * next, so a busier database makes bigger batches rather than longer queues.
   */
  concurrency?: number;
}

/**
 * Turns a batch operation into a per-item call. A call made while the flushes are busy waits
 * and shares the next flush with every call that arrived meanwhile, so under load many calls
 * cost one statement (one commit) while a lone call still runs at once: no timer, no delay.
 * `flush` returns one result per item, in order; if it throws, every call in the batch does.
 */
export function coalesce<T, R>(
  flush: (items: T[]) => Promise<R[]>,
  { maxBatch = 200, concurrency = 1 }: CoalesceOptions = {},
): (item: T) => Promise<R> {
  const waiting: Array<{ item: T; resolve(result: R): void; reject(error: unknown): void }> = [];
  let running = 0;

  const next = () => {
    if (running >= concurrency || waiting.length === 0) return;
    const batch = waiting.splice(0, maxBatch);
    running += 1;
    flush(batch.map((each) => each.item))
      .then((results) => batch.forEach((each, i) => each.resolve(results[i]!)))
      .catch((error: unknown) => batch.forEach((each) => each.reject(error)))
      .finally(() => {
        running -= 1;
        next();
      });
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      next();
    });
}
