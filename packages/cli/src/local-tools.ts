import { resolve } from 'node:path';
import { type FunctionTool, tool } from '@agentd/sdk';
import { createAdapter, loadToolDir, type ToolAdapter } from '@agentd/tools-gateway';
import type { Output } from './render-events.js';

export interface LocalTools {
  tools: FunctionTool[];
  close(): Promise<void>;
}

/**
 * The tools of a manifest directory as client-side tools: the model on the
 * server calls them and they run here, in the CLI's process (so a tool may
 * reach services only this machine can). Secrets named by a manifest are read
 * from the environment. Bad manifests are reported and skipped.
 */
export async function loadLocalTools(
  dir: string,
  env: Record<string, string | undefined>,
  err: Output,
): Promise<LocalTools> {
  const root = resolve(dir);
  const contents = await loadToolDir(root);
  for (const rejected of contents.rejected) err.write(`agentd: skipped ${rejected.error}\n`);
  const adapters: ToolAdapter[] = [];
  const tools: FunctionTool[] = [];
  for (const { manifest } of contents.loaded) {
    const adapter = createAdapter(manifest, {
      baseDir: root,
      resolveSecret: async (name) => {
        const value = env[name];
        if (value === undefined) throw new Error(`secret ${name} is not set in the environment`);
        return value;
      },
    });
    adapters.push(adapter);
    for (const offered of await adapter.list())
      tools.push(
        tool({
          name: offered.name,
          ...(offered.description ? { description: offered.description } : {}),
          parameters: offered.inputSchema as Record<string, unknown>,
          execute: async (args, context) => {
            const result = await adapter.call(offered.name, args, {
              signal: context.signal ?? new AbortController().signal,
              callId: context.callId,
            });
            if (result.isError) throw new Error(result.output);
            return result.output;
          },
        }),
      );
  }
  const names = tools.map((entry) => entry.name);
  err.write(
    `agentd: ${names.length} tool${names.length === 1 ? '' : 's'} loaded${names.length ? `: ${names.join(', ')}` : ''}\n`,
  );
  return { tools, close: async () => void (await Promise.all(adapters.map((a) => a.close()))) };
}
