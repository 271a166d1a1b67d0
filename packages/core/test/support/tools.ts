import type { RunTool, StartToolItem } from '../../src/index.js';
import { untilAborted } from './crashing-worker.js';

/** What a call of a test tool does: answer, or keep working until its worker dies (after `then`). */
type Behaviour = { type: 'answer' } | { type: 'hold'; then?: () => void };

/**
 * A tool that records the id of every call it runs. Calls answer
 * `<name>: <q>` unless `hold` makes the next ones keep working until aborted.
 */
export function countedTool(
  name: string,
  options: { idempotent?: boolean; builtinItem?: boolean; requiresApproval?: boolean } = {},
) {
  const runs: string[] = [];
  const next: Behaviour[] = [];
  const tool: RunTool = {
    definition: {
      name,
      parameters: {
        type: 'object',
        properties: { q: { type: 'string' } },
        required: ['q'],
        additionalProperties: false,
      },
    },
    ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
    ...(options.requiresApproval ? { requiresApproval: true } : {}),
    execute: async (args, context) => {
      // What the call does is read after a tick: a test may plan it right after starting the run.
      await Promise.resolve();
      runs.push(context.callId);
      const q = (args as { q: string }).q;
      const start = context.startItem as StartToolItem | undefined;
      const item = options.builtinItem
        ? start?.({ type: 'web_search_call', tool: name, action: { type: 'search', query: q } })
        : undefined;
      item?.working();
      const behaviour = next.shift() ?? { type: 'answer' };
      if (behaviour.type === 'hold') {
        behaviour.then?.();
        return untilAborted(context.signal);
      }
      item?.finish({ status: 'completed' });
      return `${name}: ${q}`;
    },
  };
  return {
    tool,
    runs,
    /** The next call (after those already planned) answers. */
    answer() {
      next.push({ type: 'answer' });
    },
    /** The next call (after those already planned) keeps working until aborted; `then` is called once it has started. */
    hold(then?: () => void) {
      next.push({ type: 'hold', ...(then ? { then } : {}) });
    },
  };
}
