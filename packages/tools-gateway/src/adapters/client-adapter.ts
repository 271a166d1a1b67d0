import type { ToolManifest } from '@agentd/spec';
import { AdapterError } from './adapter-error.js';
import { manifestTool } from './manifest-tool.js';
import type { ToolAdapter } from './tool-adapter.js';

/**
 * A client-side tool: offered to the model, but run by the client. The
 * registry hands its calls to the client (the response ends with the pending
 * function_call items), so calling it here is a mistake.
 */
export function createClientAdapter(manifest: ToolManifest): ToolAdapter {
  const tool = manifestTool(manifest);
  return {
    list: async () => [tool],
    health: () => 'healthy',
    close: async () => undefined,
    call: async (name) => {
      throw new AdapterError('client_side', `'${name}' is a client-side tool: the client runs it`);
    },
  };
}
