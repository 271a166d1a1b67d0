import { memo, useMemo } from 'react';
import type { Item } from '../api/types.js';
import { UserMessage } from './message-view.js';
import { useProgressive } from './progressive.js';
import { isTerminal, type RunView } from './run-view.js';
import { StepList } from './steps.js';
import { type ThreadContext, threadContext } from './thread-context.js';

/** A conversation: its stored items, then the runs of this page, the last one possibly live. */
export function Thread({ history, runs }: { history: readonly Item[]; runs: readonly RunView[] }) {
  // Recomputed when a run starts, ends or answers an approval, not on each delta: the stored
  // history and the finished runs then skip re-rendering while an answer streams.
  const signature = runs
    .map((run) => `${run.responseId}:${run.status}:${run.answer?.requestId ?? ''}`)
    .join('|');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `signature` stands for what of `runs` the context reads
  const context = useMemo(() => threadContext(history, runs), [history, signature]);
  const shown = useProgressive(history);
  return (
    <div className="thread">
      <StepList items={shown} context={context} />
      {runs.map((run, index) => (
        <RunBlock key={run.responseId ?? `run-${index}`} run={run} context={context} />
      ))}
    </div>
  );
}

const RunBlock = memo(function RunBlock({ run, context }: { run: RunView; context: ThreadContext }) {
  const live = !isTerminal(run.status);
  return (
    <section className="run" aria-busy={live} data-status={run.status} data-testid="run">
      {run.answer ? (
        <p className={`approval-answer ${run.answer.approve ? 'approved' : 'denied'}`}>
          {run.answer.approve
            ? `Approved ${run.answer.name}.`
            : `Denied ${run.answer.name}${run.answer.reason ? `: ${run.answer.reason}` : '.'}`}
        </p>
      ) : (
        <UserMessage text={run.userText} />
      )}
      <StepList items={run.items} context={context} tools={run.tools} live={live} />
      {live && run.items.length === 0 ? (
        <p className="working" role="status">
          Working…
        </p>
      ) : null}
      {run.safety.map((note) => (
        <p
          key={`${note.surface}-${note.action}-${note.itemId ?? ''}-${note.reasons.join()}`}
          className={`safety safety-${note.action}`}
          role="note"
        >
          <strong>Safety ({note.surface}):</strong> {note.action === 'block' ? 'blocked' : note.action}
          {note.reasons.length ? ` — ${note.reasons.join('; ')}` : ''}
        </p>
      ))}
      {!live && run.responseId ? (
        <a className="inspect" href={`/console/runs/${encodeURIComponent(run.responseId)}`}>
          Inspect this run
        </a>
      ) : null}
      {run.status === 'cancelled' ? (
        <p className="stopped" role="status">
          Stopped.
        </p>
      ) : null}
      {run.error ? (
        <div className="error" role="alert">
          <strong>{run.status === 'failed' ? 'The run failed' : 'Error'}:</strong> {run.error.message}{' '}
          <span className="muted">({run.error.code})</span>
        </div>
      ) : null}
      {run.status === 'incomplete' ? (
        <p className="error" role="alert">
          {incompleteText(run.incompleteReason)}
        </p>
      ) : null}
    </section>
  );
});

function incompleteText(reason: string | undefined): string {
  switch (reason) {
    case 'content_filter':
      return 'The safety checks stopped this run.';
    case 'max_steps':
      return 'The run reached its step limit before it finished.';
    case 'max_output_tokens':
    case 'max_total_tokens':
      return 'The run reached its token limit before it finished.';
    default:
      return `The answer is incomplete${reason ? ` (${reason})` : ''}.`;
  }
}
