import { type FormEvent, useId, useRef, useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { ErrorNote } from './parts.js';
import { errorPosition, offsetOf, POLICY_EXAMPLE } from './policy-text.js';
import { errorText } from './use-load.js';

export interface PolicyView {
  id: string;
  name: string;
  description: string | null;
  policy: string;
  effect: 'permit' | 'forbid';
  actions: string[];
  version: number;
  created_at: number;
  updated_at?: number;
}

type Check =
  | { kind: 'none' }
  | { kind: 'valid'; effect: string; actions: string[] }
  | { kind: 'invalid'; message: string };

/**
 * A Cedar policy's text with line numbers. Validate and Save send it to the
 * server, whose answer names the line and column of a mistake: that line is
 * marked, and a button puts the caret there.
 */
export function PolicyEditor({
  policy,
  onSaved,
}: {
  policy: PolicyView | null;
  onSaved: (saved: PolicyView) => void;
}) {
  const api = useAgentd();
  const [text, setText] = useState(policy?.policy ?? '');
  const [check, setCheck] = useState<Check>({ kind: 'none' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);
  const ids = { name: useId(), description: useId(), text: useId(), check: useId() };
  const at = check.kind === 'invalid' ? errorPosition(check.message) : null;
  const lines = text.split('\n').length;

  const failed = (failure: unknown) => {
    const message = errorText(failure);
    if ((failure as { code?: string }).code === 'invalid_policy') setCheck({ kind: 'invalid', message });
    else setError(message);
  };
  const validate = () => {
    setError(null);
    api.policies
      .validate({ policy: text })
      .then((answer) =>
        setCheck({
          kind: 'valid',
          effect: String(answer.effect),
          actions: (answer.actions as string[]) ?? [],
        }),
      )
      .catch(failed);
  };
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = String(data.get('name') ?? '').trim();
    const description = String(data.get('description') ?? '').trim();
    setError(null);
    setBusy(true);
    const body = { name, description: description || null, policy: text };
    (policy ? api.policies.update(policy.id, body) : api.policies.create(body))
      .then((saved) => {
        setCheck({ kind: 'none' });
        onSaved(saved as unknown as PolicyView);
      })
      .catch(failed)
      .finally(() => setBusy(false));
  };
  const goTo = () => {
    const element = area.current;
    if (!element || !at) return;
    const offset = offsetOf(text, at.line, at.column);
    element.focus();
    element.setSelectionRange(offset, offset);
  };
  return (
    <form
      className="panel"
      onSubmit={save}
      aria-label={policy ? `Edit the policy ${policy.name}` : 'Create a policy'}
    >
      <h2>{policy ? `Edit “${policy.name}” (version ${policy.version})` : 'Create a policy'}</h2>
      <label htmlFor={ids.name}>Name</label>
      <input id={ids.name} name="name" required maxLength={128} defaultValue={policy?.name ?? ''} />
      <label htmlFor={ids.description}>Description</label>
      <input
        id={ids.description}
        name="description"
        maxLength={2000}
        defaultValue={policy?.description ?? ''}
      />
      <label htmlFor={ids.text}>Policy (Cedar)</label>
      <div className="editor">
        <pre className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, index) => index + 1).map((line) => (
            <span key={line} className={at?.line === line ? 'bad-line' : undefined}>
              {line}
            </span>
          ))}
        </pre>
        <textarea
          id={ids.text}
          ref={area}
          className="code-input"
          rows={Math.max(8, Math.min(lines + 1, 24))}
          spellCheck={false}
          wrap="off"
          required
          value={text}
          aria-invalid={check.kind === 'invalid'}
          aria-describedby={ids.check}
          onScroll={(event) => {
            if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
          }}
          onChange={(event) => {
            setText(event.target.value);
            setCheck({ kind: 'none' });
          }}
        />
      </div>
      <div id={ids.check} aria-live="polite">
        {check.kind === 'invalid' ? (
          <div className="error" role="alert">
            <p>{check.message}</p>
            {at ? (
              <button type="button" className="small" onClick={goTo}>
                Go to line {at.line}, column {at.column}
              </button>
            ) : null}
          </div>
        ) : null}
        {check.kind === 'valid' ? (
          <p className="ok-note">
            Valid: {check.effect}, for {check.actions.join(', ') || 'no action'}.
          </p>
        ) : null}
      </div>
      <ErrorNote error={error} />
      <div className="row">
        <button type="button" onClick={validate} disabled={text.trim() === ''}>
          Validate
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {policy ? 'Save as a new version' : 'Create policy'}
        </button>
        {policy ? null : (
          <button type="button" className="link" onClick={() => setText(POLICY_EXAMPLE)}>
            Insert an example
          </button>
        )}
      </div>
    </form>
  );
}
