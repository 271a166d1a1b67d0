import { useEffect, useId, useMemo, useState } from 'react';
import { lineDiff } from './agents/line-diff.js';

/** A version as the server lists it: its number, when it was made, and the rest. */
export interface Versioned {
  version: number;
  created_at: number;
}

/**
 * The line diff between any two of a thing's versions (an agent's, a
 * policy's): two pickers, newest against the one before by default, and the
 * changed lines marked for eyes and screen readers alike.
 */
export function VersionDiff<V extends Versioned>({
  versions,
  textOf,
}: {
  /** Newest first. */
  versions: V[];
  textOf: (version: V) => string;
}) {
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const fromId = useId();
  const toId = useId();
  useEffect(() => {
    setTo(versions[0]?.version ?? null);
    setFrom(versions[1]?.version ?? versions[0]?.version ?? null);
  }, [versions]);

  const diff = useMemo(() => {
    const a = versions.find((version) => version.version === from);
    const b = versions.find((version) => version.version === to);
    return a && b ? lineDiff(textOf(a), textOf(b)) : [];
  }, [versions, from, to, textOf]);
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
    <>
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
    </>
  );
}
