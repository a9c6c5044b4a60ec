// Runs a worker over items with at most `concurrency` of them in progress at once, the way a
// provisioning client works through the objects of a cycle. Items are taken in order.

/**
 * Calls `worker` for each item, at most `concurrency` at a time. A worker that throws stops the
 * taking of further items; the ones in progress finish, then the first error is thrown.
 */
export async function forEachConcurrently<T>(
  items: Iterable<T>,
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  const iterator = items[Symbol.iterator]();
  let index = 0;
  let failure: { error: unknown } | undefined;
  const next = (): { item: T; index: number } | undefined => {
    if (failure) return undefined;
    const step = iterator.next();
    return step.done ? undefined : { item: step.value, index: index++ };
  };
  const lane = async () => {
    for (let job = next(); job; job = next()) {
      try {
        await worker(job.item, job.index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  if (failure) throw failure.error;
}

/** [1,2,3,4,5] by 2 -> [[1,2],[3,4],[5]] */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a whole number of at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
