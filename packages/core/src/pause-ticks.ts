/** What `withPauseTicks` yields when the source has been quiet for a while. */
export interface PauseTick {
  type: 'pause';
}

/**
 * The parts of `source`, with a `pause` tick each time `quietMs()` passes
 * without one (while it returns a number): a stream check then releases the
 * text it holds back instead of waiting for the model's next delta. The
 * pending read is kept across ticks, so no part is lost or read twice.
 */
export async function* withPauseTicks<T>(
  source: AsyncIterable<T>,
  quietMs: () => number | undefined,
): AsyncGenerator<T | PauseTick> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  let finished = false;
  try {
    for (;;) {
      pending ??= iterator.next();
      const quiet = quietMs();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const next =
        quiet === undefined
          ? await pending
          : await Promise.race([
              pending,
              new Promise<'pause'>((resolve) => {
                timer = setTimeout(() => resolve('pause'), quiet);
              }),
            ]);
      clearTimeout(timer);
      if (next === 'pause') {
        yield { type: 'pause' };
        continue;
      }
      pending = undefined;
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) {
      // Left early (a block, an error): close the source without waiting on a read still pending.
      pending?.catch(() => {});
      void Promise.resolve(iterator.return?.()).catch(() => {});
    }
  }
}
