import type { BuiltinAdapterConfig, RunTool, ToolContext, ToolManifest, ToolResult } from '@agentd/spec';
import { AdapterError } from './adapter-error.js';
import { manifestTool } from './manifest-tool.js';
import type { ToolAdapter } from './tool-adapter.js';

/**
 * A built-in tool as its package makes it: a RunTool that runs in this
 * process (its `execute` is there). Not a shape of its own (ADR-0035).
 */
export type BuiltinTool = RunTool & Required<Pick<RunTool, 'execute'>>;

/**
 * A manifest naming a built-in tool (`adapter.tool`): calls go to that tool's
 * own execute. The manifest may rename and redescribe it; its schema is the
 * built-in's unless the manifest gives one.
 */
export function createBuiltinAdapter(
  manifest: ToolManifest & { adapter: BuiltinAdapterConfig },
  builtins: ReadonlyMap<string, BuiltinTool>,
): ToolAdapter {
  const builtin = builtins.get(manifest.adapter.tool);
  if (!builtin) {
    const known = [...builtins.keys()].sort().join(', ') || 'none';
    throw new AdapterError(
      'unknown_tool',
      `the tool '${manifest.name}' names the built-in '${manifest.adapter.tool}', which is not registered (built-ins: ${known})`,
    );
  }
  const tool = manifestTool(manifest, {
    description: builtin.definition.description,
    inputSchema: builtin.definition.parameters,
  });
  return {
    list: async () => [tool],
    health: () => 'healthy',
    close: async () => undefined,
    async call(name: string, args: unknown, context: ToolContext): Promise<ToolResult> {
      if (name !== manifest.name) {
        throw new AdapterError('unknown_tool', `the tool '${manifest.name}' offers no tool named '${name}'`);
      }
      const result = await builtin.execute(args, context);
      return typeof result === 'string' ? { output: result } : result;
    },
  };
}
