import type { ToolManifest } from '@agentd/spec';
import type { AdapterTool } from './tool-adapter.js';

/**
 * The one tool a manifest declares, as the model is offered it; `defaults`
 * fill what the manifest leaves out (a built-in's own description and
 * parameters), and the input schema is any object without either.
 */
export function manifestTool(
  manifest: ToolManifest,
  defaults: Partial<Pick<AdapterTool, 'description' | 'inputSchema'>> = {},
): AdapterTool {
  const description = manifest.description ?? defaults.description;
  return {
    name: manifest.name,
    ...(description === undefined ? {} : { description }),
    inputSchema: manifest.input_schema ?? defaults.inputSchema ?? { type: 'object' },
    ...(manifest.output_schema === undefined ? {} : { outputSchema: manifest.output_schema }),
  };
}
