import { type ReactNode, useState } from 'react';

export type StepState = 'running' | 'done' | 'failed' | 'waiting' | 'denied' | 'cancelled';

const STATE_LABEL: Record<StepState, string> = {
  running: 'running',
  done: 'done',
  failed: 'failed',
  waiting: 'waiting for you',
  denied: 'denied',
  cancelled: 'stopped',
};

/**
 * One step of a run (a thought, a tool call, a search), collapsible with the
 * keyboard as a native disclosure. A closed step's body is not rendered until
 * it is first opened: a long conversation's hundreds of folded tool calls then
 * cost a summary line each.
 */
export function Step({
  kind,
  title,
  state,
  children,
  open = false,
  testId,
}: {
  kind: string;
  title: ReactNode;
  state: StepState;
  children?: ReactNode;
  open?: boolean;
  testId?: string;
}) {
  const [opened, setOpened] = useState(open);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the summary's own keys (Enter, Space) fire this click
    <details
      className={`step step-${state}`}
      open={open}
      data-testid={testId}
      data-kind={kind}
      // A click on the summary (Enter and Space make one too) renders the body in that event, before
      // the browser opens it; toggle covers an opening by other means (find in page).
      onClick={() => setOpened(true)}
      onToggle={(event) => {
        if (event.currentTarget.open) setOpened(true);
      }}
    >
      <summary>
        <span className="step-kind">{kind}</span>
        <span className="step-title">{title}</span>
        <span className={`badge badge-${state}`}>{STATE_LABEL[state]}</span>
      </summary>
      <div className="step-body">{opened || open ? children : null}</div>
    </details>
  );
}

/** Pretty-prints JSON text when it parses, and shows it as it is when it does not. */
export function JsonBlock({ label, text, raw = false }: { label: string; text: string; raw?: boolean }) {
  let shown = text;
  if (!raw)
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not JSON (yet, while it streams): shown raw.
    }
  return (
    <figure className="json-block">
      <figcaption>{label}</figcaption>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable output must take focus to scroll by keys */}
      <pre tabIndex={0}>{shown}</pre>
    </figure>
  );
}
