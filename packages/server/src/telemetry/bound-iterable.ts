import { type Context, context } from '@opentelemetry/api';

/**
 * An async iterable whose first step (and its end) runs in `ctx`: a model's
 * stream starts its HTTP request inside the first `next()`, so the request's
 * span and its `traceparent` header come from the context that step runs in,
 * not from the one the iterable was made in. Later steps only read the body.
 */
export function boundIterable<T>(ctx: Context, source: AsyncIterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = context.with(ctx, () => source[Symbol.asyncIterator]());
      let first = true;
      return {
        // Only the first step: the request has started by its end, and binding each delta costs.
        next: (...args: [] | [unknown]) => {
          if (!first) return iterator.next(...args);
          first = false;
          return context.with(ctx, () => iterator.next(...args));
        },
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
