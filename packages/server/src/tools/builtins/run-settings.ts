import type { RunTool } from '@agentd/core';
import { UNTRUSTED_CONTENT_INSTRUCTION } from '@agentd/tool-web';
import { CODE_INTERPRETER_FILES_ARG } from './code-interpreter-builtin.js';
import { FILE_SEARCH_SETTINGS_ARG, type FileSearchSettings } from './file-search-builtin.js';

/** Settings of built-in tools that an agent or a request chose (a built-in tool object's fields). */
export interface BuiltinSettings {
  code_interpreter?: { runtime?: 'pyodide' | 'cpython'; file_ids?: string[] };
  file_search?: FileSearchSettings;
}

/**
 * Applies a run's built-in settings to its tools: the code interpreter's
 * default runtime is filled into calls that name none, and the model is told
 * so in the schema.
 */
export function withBuiltinSettings(tools: RunTool[], settings: BuiltinSettings | undefined): RunTool[] {
  const fileSearch = settings?.file_search;
  const configured = fileSearch ? tools.map((tool) => withFileSearchSettings(tool, fileSearch)) : tools;
  const fileIds = settings?.code_interpreter?.file_ids;
  const withFiles = fileIds?.length
    ? configured.map((tool) =>
        withExtraArgument(tool, 'code_interpreter', CODE_INTERPRETER_FILES_ARG, fileIds),
      )
    : configured;
  const runtime = settings?.code_interpreter?.runtime;
  if (!runtime) return withFiles;
  return withFiles.map((tool) => {
    if (tool.definition.name !== 'code_interpreter' || !tool.execute) return tool;
    const execute = tool.execute;
    const parameters = tool.definition.parameters as { properties?: Record<string, Record<string, unknown>> };
    const properties = parameters.properties ?? {};
    return {
      ...tool,
      definition: {
        ...tool.definition,
        parameters: {
          ...parameters,
          properties: {
            ...properties,
            runtime: { ...properties.runtime, description: `Where to run it. Default '${runtime}'.` },
          },
        },
      },
      execute: (args, context) =>
        execute({ runtime, ...(args && typeof args === 'object' ? args : {}) }, context),
    };
  });
}

/**
 * The instructions the model gets: the run's own, then (when a web tool is
 * enabled) the untrusted-content instruction, in the system prompt that is
 * always first and that user content cannot replace.
 */
export function instructionsFor(instructions: string | null, usesWeb: boolean): string | null {
  if (!usesWeb) return instructions;
  return instructions ? `${instructions}\n\n${UNTRUSTED_CONTENT_INSTRUCTION}` : UNTRUSTED_CONTENT_INSTRUCTION;
}

/** file_search with the run's vector stores, result count, filters and threshold, passed beside the model's arguments. */
function withFileSearchSettings(tool: RunTool, settings: FileSearchSettings): RunTool {
  return withExtraArgument(tool, 'file_search', FILE_SEARCH_SETTINGS_ARG, settings);
}

/** The tool with a run setting added to every call's arguments, after their validation; the model never sees it. */
function withExtraArgument(tool: RunTool, name: string, argument: string, value: unknown): RunTool {
  if (tool.definition.name !== name || !tool.execute) return tool;
  const execute = tool.execute;
  return {
    ...tool,
    execute: (args, context) =>
      execute({ ...(args && typeof args === 'object' ? args : {}), [argument]: value }, context),
  };
}
