// Timestamps for meta.created / meta.lastModified.

/**
 * A clock whose readings strictly increase, even for two writes in the same millisecond,
 * so that every update visibly moves meta.lastModified forward (a client may compare them).
 */
export function createMonotonicClock(now: () => number = Date.now): () => string {
  let last = 0;
  return () => {
    last = Math.max(now(), last + 1);
    return new Date(last).toISOString();
  };
}
