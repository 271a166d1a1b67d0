import { type Context, context } from '@opentelemetry/api';

/**
 * An async iterable whose every step runs in `ctx`: a model's stream starts
 * its HTTP request inside the first `next()`, so the request's span and its
 * `traceparent` header come from the context that step runs in, not from the
 * one the iterable was made in.
 */
export function boundIterable<T>(ctx: Context, source: AsyncIterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = context.with(ctx, () => source[Symbol.asyncIterator]());
      return {
        next: (...args: [] | [unknown]) => context.with(ctx, () => iterator.next(...args)),
        return: (value?: unknown) =>
          context.with(ctx, () =>
            iterator.return
              ? iterator.return(value)
              : Promise.resolve({ done: true as const, value: undefined }),
          ),
        throw: (error?: unknown) =>
          context.with(ctx, () => (iterator.throw ? iterator.throw(error) : Promise.reject(error))),
      } as AsyncIterator<T>;
    },
  };
}
