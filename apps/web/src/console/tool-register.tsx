import { type FormEvent, useId, useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { checkManifest, type ManifestProblem } from './manifest-check.js';
import { ErrorNote } from './parts.js';
import type { ToolView } from './tool-view.js';
import { errorText, useLoad } from './use-load.js';

const EXAMPLE = `{
  "name": "weather",
  "description": "Current weather for a city",
  "input_schema": {
    "type": "object",
    "properties": { "city": { "type": "string" } },
    "required": ["city"]
  },
  "adapter": { "type": "http", "url": "https://tools.example.com/weather" }
}
`;

type Outcome =
  | { kind: 'none' }
  | { kind: 'problems'; problems: ManifestProblem[] }
  | { kind: 'valid' }
  | { kind: 'registered'; tool: ToolView };

/**
 * Register a tool from its manifest. Validate checks it in the browser against
 * the schema the server serves (GET /v1/tools/manifest-schema); Register sends
 * it, and the server checks it again (and what a schema cannot say).
 */
export function ToolRegister({ onRegistered }: { onRegistered: () => void }) {
  const api = useAgentd();
  const schema = useLoad((client) => client.tools.manifestSchema(), 'manifest-schema');
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [busy, setBusy] = useState(false);
  const textId = useId();
  const problemsId = useId();

  const check = () => {
    if (!schema.data) return null;
    const result = checkManifest(text, schema.data);
    setOutcome(result.ok ? { kind: 'valid' } : { kind: 'problems', problems: result.problems });
    return result;
  };
  const register = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = check();
    if (!result?.ok) return;
    setBusy(true);
    api.tools
      .create(result.manifest as never)
      .then(
        (tool) => {
          setOutcome({ kind: 'registered', tool: tool as unknown as ToolView });
          onRegistered();
        },
        (failure: unknown) => {
          const param = (failure as { param?: string | null }).param;
          setOutcome({
            kind: 'problems',
            problems: [{ where: param || '(server)', message: errorText(failure) }],
          });
        },
      )
      .finally(() => setBusy(false));
  };
  const invalid = outcome.kind === 'problems';
  return (
    <form className="panel" onSubmit={register} aria-label="Register a tool">
      <h2>Register a tool</h2>
      <p className="muted">
        A manifest as JSON: an HTTP endpoint, an OpenAPI document or an MCP server (see README “Tools”).
      </p>
      <label htmlFor={textId}>Manifest (JSON)</label>
      <textarea
        id={textId}
        className="code-input"
        rows={12}
        spellCheck={false}
        value={text}
        aria-invalid={invalid}
        aria-describedby={problemsId}
        onChange={(event) => {
          setText(event.target.value);
          if (outcome.kind !== 'none') setOutcome({ kind: 'none' });
        }}
      />
      <div id={problemsId} aria-live="polite">
        {outcome.kind === 'problems' ? (
          <div className="error" role="alert">
            <p>
              The manifest has{' '}
              {outcome.problems.length === 1 ? 'a problem' : `${outcome.problems.length} problems`}:
            </p>
            <ul className="problems">
              {outcome.problems.map((problem) => (
                <li key={`${problem.where}:${problem.message}`}>
                  <code>{problem.where}</code> {problem.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {outcome.kind === 'valid' ? <p className="ok-note">Valid: the manifest matches the schema.</p> : null}
        {outcome.kind === 'registered' ? (
          <p className="ok-note">
            Registered “{outcome.tool.name}”:{' '}
            {outcome.tool.tools.map((tool) => tool.name).join(', ') || 'no tools'}.
          </p>
        ) : null}
      </div>
      <ErrorNote error={schema.error} />
      <div className="row">
        <button type="button" onClick={check} disabled={!schema.data}>
          Validate
        </button>
        <button type="submit" className="primary" disabled={!schema.data || busy}>
          Register
        </button>
        <button type="button" className="link" onClick={() => setText(EXAMPLE)}>
          Insert an example
        </button>
      </div>
    </form>
  );
}
