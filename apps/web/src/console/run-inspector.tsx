import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { messageOf } from '../api/errors.js';
import { runUserText } from '../api/extras.js';
import { agentd } from '../api/sdk.js';
import type { ResponseEvent } from '../api/types.js';
import { applyEvents, emptyRun } from '../chat/run-view.js';
import { Thread } from '../chat/thread.js';
import { type StepKind, type TimelineStep, timelineOf } from './inspector/run-steps.js';
import './inspector/inspector.css';

const KINDS: StepKind[] = ['run', 'model', 'tool', 'approval', 'safety', 'output', 'error'];

/** Every event of a run, in order (the log is paged by sequence number). */
async function allEvents(id: string): Promise<ResponseEvent[]> {
  const events: ResponseEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await agentd().responses.events(id, { after, limit: 1000 });
    events.push(...page.data);
    const last = page.data.at(-1);
    if (!page.has_more || !last) return events;
    after = last.sequence_number;
  }
}

/**
 * Any run's event log on a timeline (each model request, tool call, approval
 * and safety verdict), replayable step by step: the chat's own view of the
 * run, rebuilt from the events up to the chosen step.
 */
export function RunInspector({ id, onOpen }: { id: string | null; onOpen: (id: string) => void }) {
  const [events, setEvents] = useState<ResponseEvent[]>([]);
  const [input, setInput] = useState('');
  const [at, setAt] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const current = useRef<HTMLLIElement>(null);
  useEffect(() => {
    setEvents([]);
    setError(null);
    if (!id) return;
    let gone = false;
    Promise.all([allEvents(id), runUserText(agentd(), id).catch(() => '')])
      .then(([log, text]) => {
        if (gone) return;
        setEvents(log);
        setInput(text);
        setAt(Math.max(0, timelineOf(log).length - 1));
      })
      .catch((failure) => !gone && setError(messageOf(failure)));
    return () => {
      gone = true;
    };
  }, [id]);
  const steps = useMemo(() => timelineOf(events), [events]);
  const step: TimelineStep | undefined = steps[at];
  const replay = useMemo(
    () => (step ? applyEvents(emptyRun(input), events.slice(0, step.index + 1)) : null),
    [events, step, input],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the chosen step
  useEffect(() => {
    // Braced: Chromium's scrollIntoView now returns a promise, which React would take for a cleanup.
    void current.current?.scrollIntoView({ block: 'nearest' });
  }, [at]);

  const open = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('id') ?? '').trim();
    if (value) onOpen(value);
  };
  const counts = KINDS.map((kind) => [kind, steps.filter((s) => s.kind === kind).length] as const);
  const go = (to: number) => setAt(Math.min(steps.length - 1, Math.max(0, to)));
  return (
    <>
      <h1>Run inspector</h1>
      <form className="row" onSubmit={open}>
        <label htmlFor={inputId}>Response id</label>
        <input id={inputId} name="id" defaultValue={id ?? ''} placeholder="resp_…" />
        <button type="submit">Open</button>
      </form>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {steps.length > 0 ? (
        <>
          <p className="muted legend">
            {counts
              .filter(([, count]) => count > 0)
              .map(([kind, count]) => `${count} ${kind}`)
              .join(' · ')}{' '}
            · {events.length - steps.length} deltas replayed but not listed
          </p>
          <fieldset className="replay-controls">
            <legend className="visually-hidden">Replay</legend>
            <button type="button" onClick={() => go(0)} disabled={at === 0}>
              First
            </button>
            <button type="button" onClick={() => go(at - 1)} disabled={at === 0}>
              Previous step
            </button>
            <output aria-live="polite">
              Step {at + 1} of {steps.length}: {step?.title}
            </output>
            <button type="button" onClick={() => go(at + 1)} disabled={at >= steps.length - 1}>
              Next step
            </button>
            <button type="button" onClick={() => go(steps.length - 1)} disabled={at >= steps.length - 1}>
              Last
            </button>
          </fieldset>
        </>
      ) : null}
      <div className="inspector">
        <ol className="timeline" aria-label="Timeline">
          {steps.map((entry, position) => (
            <li
              key={entry.event.sequence_number}
              ref={position === at ? current : undefined}
              className={`kind-${entry.kind}${position === at ? ' current' : ''}${position > at ? ' later' : ''}`}
              aria-current={position === at ? 'step' : undefined}
            >
              <details>
                <summary>
                  <span className="seq">#{entry.event.sequence_number}</span>{' '}
                  <span className={`kind kind-${entry.kind}`}>{entry.kind}</span> {entry.event.type}
                  <span className="step-line"> — {entry.title}</span>
                </summary>
                <button type="button" className="link" onClick={() => setAt(position)}>
                  Replay to here
                </button>
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a wide event scrolls, by keyboard too */}
                <pre tabIndex={0}>{JSON.stringify(entry.event, null, 2)}</pre>
              </details>
            </li>
          ))}
        </ol>
        {replay ? (
          <section className="replay" aria-label="The run at this step">
            <h2>The run at step {at + 1}</h2>
            <Thread history={[]} runs={[replay]} />
          </section>
        ) : null}
      </div>
    </>
  );
}
