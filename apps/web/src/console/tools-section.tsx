import { paginate } from '@agentd/sdk';
import { useId, useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { Badge, ErrorNote } from './parts.js';
import { ResourceTable } from './resource-table.js';
import { ToolRegister } from './tool-register.js';
import { adapterOf, circuitOf, SOURCE_LABELS, type ToolView } from './tool-view.js';
import { errorText, useLoad } from './use-load.js';

async function allTools(api: ReturnType<typeof useAgentd>): Promise<ToolView[]> {
  const tools: ToolView[] = [];
  for await (const tool of paginate((after) =>
    api.tools.list({ limit: 100, order: 'asc', ...(after ? { after } : {}) }),
  ))
    tools.push(tool as unknown as ToolView);
  return tools;
}

/** The tenant's tools: registered, the tool directory's and the built-ins; MCP servers and their tools; registration. */
export function ToolsSection() {
  const api = useAgentd();
  const tools = useLoad(allTools, 'tools');
  const [source, setSource] = useState<'all' | ToolView['source']>('all');
  const [error, setError] = useState<string | null>(null);
  const filterId = useId();
  const shown = (tools.data ?? []).filter((tool) => source === 'all' || tool.source === source);
  const servers = (tools.data ?? []).filter((tool) => tool.manifest.adapter?.type === 'mcp');
  const remove = (tool: ToolView) => {
    if (!window.confirm(`Remove the tool “${tool.name}”? Agents that use it stop finding it.`)) return;
    setError(null);
    api.tools.del(tool.id).then(tools.reload, (failure: unknown) => setError(errorText(failure)));
  };
  return (
    <>
      <h1>Tools</h1>
      <div className="row">
        <label htmlFor={filterId}>Source</label>
        <select
          id={filterId}
          value={source}
          onChange={(event) => setSource(event.target.value as typeof source)}
        >
          <option value="all">all</option>
          <option value="api">registered</option>
          <option value="dir">tool directory</option>
          <option value="builtin">built-in</option>
        </select>
        <span className="muted" aria-live="polite">
          {tools.loading ? 'Loading…' : `${shown.length} tool sets`}
        </span>
      </div>
      <ErrorNote error={tools.error ?? error} />
      <ResourceTable
        label="Tools"
        rows={shown}
        name={(tool) => tool.name}
        columns={[
          { header: 'Source', cell: (tool) => SOURCE_LABELS[tool.source] },
          { header: 'Adapter', cell: (tool) => adapterOf(tool) },
          {
            header: 'Tools',
            cell: (tool) =>
              tool.tools.length === 1 && tool.tools[0]?.name === tool.name
                ? '1'
                : tool.tools.map((entry) => entry.name).join(', ') || '0',
          },
          {
            header: 'Health',
            cell: (tool) => <Badge tone={tool.health === 'healthy' ? 'ok' : 'bad'}>{tool.health}</Badge>,
          },
          {
            header: 'Circuit',
            cell: (tool) => {
              const circuit = circuitOf(tool);
              return <Badge tone={circuit.tone}>{circuit.text}</Badge>;
            },
          },
        ]}
        actions={(tool) =>
          tool.source === 'api' ? (
            <button
              type="button"
              className="danger small"
              aria-label={`Remove ${tool.name}`}
              onClick={() => remove(tool)}
            >
              Remove
            </button>
          ) : null
        }
      />
      <h2>MCP servers</h2>
      {servers.length === 0 ? (
        <p className="muted">No MCP server is registered or in the tool directory.</p>
      ) : null}
      <div className="cards">
        {servers.map((server) => (
          <section key={server.id} className="panel card" aria-label={`MCP server ${server.name}`}>
            <h3>
              {server.name} <Badge tone={server.health === 'healthy' ? 'ok' : 'bad'}>{server.health}</Badge>
            </h3>
            <p className="muted">
              {adapterOf(server)} · {SOURCE_LABELS[server.source]}
              {server.manifest.adapter?.url ? ` · ${server.manifest.adapter.url}` : ''}
            </p>
            <ul className="plain">
              {server.tools.map((entry) => (
                <li key={entry.name}>
                  <code>{entry.name}</code>{' '}
                  <Badge
                    tone={entry.circuit === 'open' ? 'bad' : entry.circuit === 'half-open' ? 'warn' : 'ok'}
                  >
                    circuit {entry.circuit ?? 'closed'}
                  </Badge>
                  {entry.description ? <span className="muted"> {entry.description}</span> : null}
                </li>
              ))}
              {server.tools.length === 0 ? (
                <li className="muted">It lists no tools (is it running?).</li>
              ) : null}
            </ul>
          </section>
        ))}
      </div>
      <ToolRegister onRegistered={tools.reload} />
    </>
  );
}
