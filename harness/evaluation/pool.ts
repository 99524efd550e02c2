/**
 * Runs tasks at most `concurrency` at a time, starting them in the order given; the results come
 * back in that order whatever order the tasks finish in. The first task to throw stops new starts
 * and its error is rethrown once the tasks under way have settled.
 */
export async function runPool<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

/** One holder at a time: the others wait, in the order they asked. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async exclusive<R>(work: () => Promise<R>): Promise<R> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise((resolve) => (release = resolve));
    await before;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
