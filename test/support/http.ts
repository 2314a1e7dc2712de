/** Fires `count` requests at once and waits for all of them: real concurrency over loopback. */
export async function concurrently<T>(count: number, send: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => send(i)));
}

export function countBy<T>(items: T[], key: (item: T) => string | number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[String(key(item))] = (counts[String(key(item))] ?? 0) + 1;
  return counts;
}

/**
 * Polls `check` every 100 ms until it holds; fails the test once `ms` have passed without it,
 * with what `explain` reads then (the rows a reader of the failure needs).
 */
export async function until(check: () => boolean | Promise<boolean>, ms: number, explain?: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms${explain ? `: ${JSON.stringify(await explain())}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
