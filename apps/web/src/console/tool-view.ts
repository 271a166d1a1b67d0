/** A tool set as GET /v1/tools shows it (the SDK types it loosely). */
export interface ToolView {
  id: string;
  name: string;
  source: 'api' | 'dir' | 'builtin';
  manifest: {
    description?: string;
    adapter?: { type?: string; transport?: string; url?: string; command?: string };
  };
  tools: { name: string; description: string | null; circuit?: 'closed' | 'open' | 'half-open' }[];
  health: 'healthy' | 'unavailable';
}

export const SOURCE_LABELS: Record<ToolView['source'], string> = {
  api: 'registered',
  dir: 'tool directory',
  builtin: 'built-in',
};

/** How a tool set is reached: `http`, `mcp (stdio)`, ... */
export function adapterOf(tool: ToolView): string {
  const adapter = tool.manifest.adapter;
  if (!adapter?.type) return '—';
  return adapter.transport ? `${adapter.type} (${adapter.transport})` : adapter.type;
}

/** The tool set's circuits in a few words: `closed`, or which tools are open. */
export function circuitOf(tool: ToolView): { tone: 'ok' | 'warn' | 'bad'; text: string } {
  const open = tool.tools.filter((entry) => entry.circuit === 'open');
  const trial = tool.tools.filter((entry) => entry.circuit === 'half-open');
  if (open.length > 0) return { tone: 'bad', text: `open: ${open.map((entry) => entry.name).join(', ')}` };
  if (trial.length > 0)
    return { tone: 'warn', text: `half-open: ${trial.map((entry) => entry.name).join(', ')}` };
  return { tone: 'ok', text: 'closed' };
}
