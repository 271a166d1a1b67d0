import { useEffect, useId, useMemo, useState } from 'react';
import { messageOf } from '../../api/errors.js';
import { agentd } from '../../api/sdk.js';
import type { Agent } from '../../api/types.js';
import { definitionText, lineDiff } from './line-diff.js';

/** One version as the server keeps it (`object: 'agent.version'`). */
interface Version {
  version: number;
  created_at: number;
  [field: string]: unknown;
}

/** An agent's versions (the server keeps every one), and the diff between any two. */
export function AgentVersions({ agent }: { agent: Agent }) {
  const [versions, setVersions] = useState<Version[]>([]);
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fromId = useId();
  const toId = useId();

  useEffect(() => {
    // Re-read whenever the agent gets a new version.
    void agent.version;
    setError(null);
    agentd()
      .agents.versions(agent.id, { limit: 100, order: 'desc' })
      .then((page) => {
        const list = page.data as unknown as Version[];
        setVersions(list);
        setTo(list[0]?.version ?? null);
        setFrom(list[1]?.version ?? list[0]?.version ?? null);
      })
      .catch((failure) => setError(messageOf(failure)));
  }, [agent.id, agent.version]);

  const diff = useMemo(() => {
    const a = versions.find((version) => version.version === from);
    const b = versions.find((version) => version.version === to);
    return a && b ? lineDiff(definitionText(a), definitionText(b)) : [];
  }, [versions, from, to]);
  const changed = diff.filter((line) => line.kind !== 'same').length;

  const picker = (id: string, label: string, value: number | null, set: (value: number) => void) => (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(event) => set(Number(event.target.value))}>
        {versions.map((version) => (
          <option key={version.version} value={version.version}>
            version {version.version} ({new Date(version.created_at * 1000).toLocaleString()})
          </option>
        ))}
      </select>
    </>
  );

  return (
    <section className="panel" aria-label={`Versions of ${agent.name}`}>
      <h2>Versions of {agent.name}</h2>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="row">
        {picker(fromId, 'From', from, setFrom)}
        {picker(toId, 'To', to, setTo)}
      </div>
      <p className="muted" role="status">
        {from === to ? 'The same version.' : `${changed} line${changed === 1 ? '' : 's'} changed.`}
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a long diff scrolls, by keyboard too */}
      <pre className="diff" tabIndex={0}>
        {diff.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their place
          <div key={index} className={line.kind}>
            {line.kind === 'same' ? '' : <span className="visually-hidden">{line.kind}: </span>}
            {line.text}
          </div>
        ))}
      </pre>
    </section>
  );
}
