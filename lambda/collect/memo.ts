/**
 * Per-audit memo: a shared resource (a load balancer behind three APIs, a VPC link used by ten
 * integrations) is read once, however many paths reach it. Promises are cached, so concurrent
 * readers of the same key share one call.
 */
export class Memo<K, V> {
  private readonly entries = new Map<K, Promise<V>>();

  get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const existing = this.entries.get(key);
    if (existing) return existing;
    const loading = load(key);
    this.entries.set(key, loading);
    return loading;
  }
}

/** Maps over items with at most `limit` calls in flight (API Gateway allows 10 requests per second). */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Splits ids into batches a describe call accepts (filter values are limited to 200). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

export const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];
