import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { agentd } from '../api/sdk.js';
import type { Agent } from '../api/types.js';
import { AgentEditor } from './agents/agent-editor.js';
import { AgentVersions } from './agents/agent-versions.js';
import { ResourceTable } from './resource-table.js';

/** Opens a new chat with this agent chosen (the router follows history; the chat reads `?agent=`). */
function tryInChat(agent: Agent): void {
  history.pushState(null, '', `/?agent=${encodeURIComponent(agent.id)}`);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The tenant's agents: create, edit (a new version each time), versions and their diff, try in chat. */
export function AgentsSection({ onChanged }: { onChanged: (agents: Agent[]) => void }) {
  const [agents, setAgents] = useState<Agent[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();
  const instructionsId = useId();
  const modelId = useId();
  const load = useCallback(() => {
    agentd()
      .agents.list({ limit: 100, order: 'asc' })
      .then((page) => {
        setAgents(page.data as unknown as Agent[]);
        onChanged(page.data as unknown as Agent[]);
      })
      .catch((failure: Error) => setError(failure.message));
  }, [onChanged]);
  useEffect(load, [load]);
  const current = agents.find((agent) => agent.id === editing);
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (field: string) => String(data.get(field) ?? '').trim();
    setError(null);
    agentd()
      .agents.create({
        name: text('name'),
        ...(text('instructions') ? { instructions: text('instructions') } : {}),
        ...(text('model') ? { model: text('model') } : {}),
      })
      .then(() => {
        form.reset();
        load();
      })
      .catch((failure: Error) => setError(failure.message));
  };
  return (
    <>
      <h1>Agents</h1>
      <ResourceTable
        label="Agents"
        rows={agents}
        name={(agent) => agent.name}
        columns={[
          { header: 'Model', cell: (agent) => agent.model ?? 'default' },
          { header: 'Version', cell: (agent) => agent.version },
          {
            header: 'Tools',
            cell: (agent) =>
              agent.tools.map((tool) => (typeof tool === 'string' ? tool : JSON.stringify(tool))).join(', '),
          },
        ]}
        actions={(agent) => (
          <div className="agent-actions">
            <button
              type="button"
              className="small"
              aria-pressed={editing === agent.id}
              aria-label={`Edit ${agent.name}`}
              onClick={() => setEditing(editing === agent.id ? null : agent.id)}
            >
              Edit
            </button>
            <button
              type="button"
              className="small"
              aria-label={`Try in chat: ${agent.name}`}
              onClick={() => tryInChat(agent)}
            >
              Try in chat
            </button>
          </div>
        )}
        empty="No agents yet."
      />
      {current ? (
        <>
          <AgentEditor
            agent={current}
            onSaved={(saved) => {
              setAgents((all) => all.map((agent) => (agent.id === saved.id ? saved : agent)));
              load();
            }}
          />
          <AgentVersions agent={current} />
        </>
      ) : null}
      <form className="panel" onSubmit={create} aria-label="Create an agent">
        <h2>Create an agent</h2>
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} name="name" required pattern="[A-Za-z0-9_.\-]+" />
        <label htmlFor={instructionsId}>Instructions</label>
        <textarea id={instructionsId} name="instructions" rows={4} />
        <label htmlFor={modelId}>Model (empty: the default)</label>
        <input id={modelId} name="model" />
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary">
          Create agent
        </button>
      </form>
    </>
  );
}
