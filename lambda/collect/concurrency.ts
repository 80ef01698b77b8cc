/**
 * Bounded concurrency for work that is submitted as it becomes known (log searches started as each
 * stage's settings arrive) and for work split into lanes that wait on different quotas (REST stages
 * wait on `GetResources`, HTTP stages do not), so one slow lane never idles the other.
 */
import { mapBounded } from './memo';

/** Runs submitted tasks with at most `limit` in flight, in submission order. */
export function limitConcurrency(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a whole number >= 1 (got ${limit})`);
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finishing task hands its slot straight to the next waiter, so a newcomer cannot take it in between.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/**
 * Maps over items lane by lane, all lanes at once, each with at most `limitPerLane` calls in flight;
 * the results keep the items' order.
 */
export async function mapInLanes<T, R>(
  items: readonly T[],
  laneOf: (item: T) => string,
  limitPerLane: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const lanes = new Map<string, number[]>();
  items.forEach((item, index) => {
    const lane = laneOf(item);
    const indexes = lanes.get(lane);
    if (indexes) indexes.push(index);
    else lanes.set(lane, [index]);
  });
  const results = new Array<R>(items.length);
  await Promise.all(
    [...lanes.values()].map((indexes) =>
      mapBounded(indexes, limitPerLane, async (index) => {
        results[index] = await map(items[index] as T);
      }),
    ),
  );
  return results;
}
