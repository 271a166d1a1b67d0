import { useId, useState } from 'react';

/**
 * An agent's tools: a checkbox per tool the tenant can use (names), and the
 * other references (capabilities, inline definitions) as JSON.
 */
export function ToolPicker({
  offered,
  tools,
  onChange,
  onValidity,
}: {
  offered: readonly string[];
  tools: readonly unknown[];
  onChange: (tools: unknown[]) => void;
  onValidity: (name: string, valid: boolean) => void;
}) {
  const otherId = useId();
  const names = tools.filter((tool): tool is string => typeof tool === 'string');
  const others = tools.filter((tool) => typeof tool !== 'string');
  const [text, setText] = useState(() => (others.length ? JSON.stringify(others, null, 2) : ''));
  const [problem, setProblem] = useState<string | null>(null);
  const all = [...new Set([...offered, ...names])].sort();
  const toggle = (name: string, on: boolean) =>
    onChange([...(on ? [...names, name] : names.filter((n) => n !== name)), ...others]);
  return (
    <fieldset className="schema-object tool-picker">
      <legend>tools</legend>
      {all.length === 0 ? <p className="muted">No tools registered.</p> : null}
      <ul className="checks">
        {all.map((name) => (
          <li key={name}>
            <label>
              <input
                type="checkbox"
                checked={names.includes(name)}
                onChange={(event) => toggle(name, event.target.checked)}
              />{' '}
              {name}
            </label>
          </li>
        ))}
      </ul>
      <label htmlFor={otherId}>Other tools (JSON list: capabilities, inline definitions)</label>
      <textarea
        id={otherId}
        className="code"
        rows={3}
        value={text}
        aria-invalid={problem ? true : undefined}
        onChange={(event) => {
          setText(event.target.value);
          try {
            const parsed: unknown = event.target.value.trim() ? JSON.parse(event.target.value) : [];
            if (!Array.isArray(parsed)) throw new Error('a list [...] is expected');
            setProblem(null);
            onValidity('tools', true);
            onChange([...names, ...parsed]);
          } catch (error) {
            setProblem((error as Error).message);
            onValidity('tools', false);
          }
        }}
      />
      {problem ? <p className="error">Not a JSON list: {problem}</p> : null}
    </fieldset>
  );
}
