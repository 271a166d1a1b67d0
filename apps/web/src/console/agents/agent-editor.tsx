import { type FormEvent, useEffect, useState } from 'react';
import { messageOf } from '../../api/errors.js';
import { toolNames } from '../../api/extras.js';
import { agentd } from '../../api/sdk.js';
import type { Agent } from '../../api/types.js';
import { type JsonSchema, serverSchema } from './json-schema.js';
import { SchemaField } from './schema-form.js';
import { ToolPicker } from './tool-picker.js';
import './agents.css';

/** Fields the form leaves to the server (identity and clocks) or shows its own way (tools). */
const NOT_IN_FORM = new Set(['tools']);

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Edits a stored agent with a form generated from the server's own schema of
 * an agent update (UpdateAgentRequest in /openapi.json), so a field the server
 * gains shows here without a UI change. Only the changed fields are sent; each
 * save makes a new version.
 */
export function AgentEditor({ agent, onSaved }: { agent: Agent; onSaved: (agent: Agent) => void }) {
  const [schema, setSchema] = useState<JsonSchema | null>(null);
  const [offered, setOffered] = useState<string[]>([]);
  const [draft, setDraft] = useState<Record<string, unknown>>(() => ({ ...agent }));
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);

  useEffect(() => {
    serverSchema('UpdateAgentRequest')
      .then(setSchema)
      .catch((failure) => setError(messageOf(failure)));
    toolNames(agentd())
      .then(setOffered)
      .catch(() => setOffered([]));
  }, []);
  useEffect(() => {
    setDraft({ ...agent });
  }, [agent]);
  // The confirmation stays through the reload a save causes (a new version of the same agent).
  const agentId = agent.id;
  useEffect(() => {
    if (agentId) setSaved(null);
  }, [agentId]);

  const onValidity = (name: string, valid: boolean) =>
    setInvalid((current) => {
      const next = new Set(current);
      if (valid) next.delete(name);
      else next.add(name);
      return next;
    });

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!schema?.properties) return;
    const changes: Record<string, unknown> = {};
    for (const key of Object.keys(schema.properties)) {
      if (same(draft[key], agent[key])) continue;
      changes[key] = draft[key] === undefined ? null : draft[key];
    }
    if (Object.keys(changes).length === 0) {
      setError('Nothing changed.');
      return;
    }
    setError(null);
    agentd()
      .agents.update(agent.id, changes as never)
      .then((updated) => {
        const next = updated as unknown as Agent;
        setSaved(next.version);
        onSaved(next);
      })
      .catch((failure) => {
        const param = (failure as { param?: string | null }).param;
        setError(param ? `${param}: ${messageOf(failure)}` : messageOf(failure));
      });
  };

  const properties = Object.entries(schema?.properties ?? {}).filter(([key]) => !NOT_IN_FORM.has(key));
  return (
    <form className="panel agent-editor" onSubmit={save} aria-label={`Edit ${agent.name}`}>
      <h2>
        Edit {agent.name} <span className="muted">(version {agent.version})</span>
      </h2>
      {schema ? null : <p className="muted">Reading the agent schema…</p>}
      <ToolPicker
        offered={offered}
        tools={(draft.tools as unknown[]) ?? []}
        onChange={(tools) => setDraft((current) => ({ ...current, tools }))}
        onValidity={onValidity}
      />
      {properties.map(([key, child]) => (
        <SchemaField
          key={`${agent.id}.${agent.version}.${key}`}
          name={key}
          label={key}
          schema={child}
          value={draft[key]}
          onValidity={onValidity}
          onChange={(value) => setDraft((current) => ({ ...current, [key]: value }))}
        />
      ))}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {saved !== null ? (
        <p className="ok" role="status">
          Saved as version {saved}.
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={!schema || invalid.size > 0}>
        Save as a new version
      </button>
    </form>
  );
}
