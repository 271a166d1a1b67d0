import type { BuiltinTool } from '@agentd/tools-gateway';

/**
 * code_interpreter with the runtimes that are off still named in its schema,
 * so a call that asks for one is answered with why it is off (and what runs
 * instead), not with "must be equal to one of the allowed values".
 */
export function withUnavailableRuntimes(tool: BuiltinTool, off: ReadonlyMap<string, string>): BuiltinTool {
  if (off.size === 0) return tool;
  const parameters = tool.definition.parameters as {
    properties?: Record<string, { enum?: string[]; description?: string }>;
  };
  const runtime = parameters.properties?.runtime;
  if (!runtime?.enum) return tool;
  const offered = runtime.enum;
  const notes = [...off].map(([name, why]) => `'${name}' is not available here (${why})`).join('; ');
  return {
    definition: {
      ...tool.definition,
      parameters: {
        ...parameters,
        properties: {
          ...parameters.properties,
          runtime: {
            ...runtime,
            enum: [...offered, ...off.keys()],
            description: `${runtime.description ?? ''} ${notes}.`.trim(),
          },
        },
      },
    },
    async execute(args, context) {
      const asked = (args as { runtime?: unknown } | null)?.runtime;
      const why = typeof asked === 'string' ? off.get(asked) : undefined;
      if (why === undefined) return tool.execute(args, context);
      return {
        isError: true,
        output: `The ${asked} runtime is not available: ${why}. Run the code with runtime ${offered.map((name) => `'${name}'`).join(' or ')} instead.`,
      };
    },
  };
}
