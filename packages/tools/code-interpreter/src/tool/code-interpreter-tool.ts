import type { RunTool, ToolContext, ToolResult } from '@agentd/spec';
import type { Sandbox, SandboxInputFile, SandboxResult } from '../sandbox.js';
import { DEFAULT_TOOL_OUTPUT_CHARS, formatSandboxResult } from './format-result.js';

export const CODE_INTERPRETER_TOOL = 'code_interpreter';

export type CodeInterpreterRuntime = 'pyodide' | 'cpython';

/** One finished call, for the server to turn files and images into artifacts and output items. */
export interface CodeInterpreterCall {
  callId: string;
  sessionId: string;
  runtime: CodeInterpreterRuntime;
  code: string;
  result: SandboxResult;
}

export interface CodeInterpreterToolOptions {
  /** The runtimes on offer; at least one. */
  sandboxes: Partial<Record<CodeInterpreterRuntime, Sandbox>>;
  /** Used when the call names no runtime. Default `pyodide` (or the only one configured). */
  defaultRuntime?: CodeInterpreterRuntime;
  /**
   * The notebook a call belongs to, e.g. the conversation. Default: the call
   * id, so every call starts from a fresh interpreter.
   */
  sessionId?: (context: ToolContext) => string;
  /** Files to place under /mnt/data for this call, e.g. the conversation's attachments. */
  files?: (context: ToolContext) => SandboxInputFile[] | Promise<SandboxInputFile[]>;
  /** Per-call time limit handed to the sandbox; the sandbox's default when absent. */
  timeoutMs?: number;
  /** Cap on the text the model reads. Default 30 000 characters. */
  maxOutputChars?: number;
  /** Receives every finished call with its raw result (files, images). */
  onResult?: (call: CodeInterpreterCall) => void | Promise<void>;
}

const DESCRIPTION =
  'Runs Python code in a sandboxed, stateful session, like a notebook: variables, imports and files ' +
  'persist between calls of the same conversation. The value of the last expression is returned, with ' +
  "stdout, stderr and any exception. Files under /mnt/data are the user's uploads (read-only) and files " +
  'you write there are returned to the user. There is no network access and no package installation. ' +
  "Runtime 'pyodide' (default) is fast and has the standard library only; runtime 'cpython' adds numpy, " +
  'pandas, scipy and matplotlib (figures are captured automatically; no need to save or show them).';

/** The built-in `code_interpreter` tool over one or two sandboxes. */
export function createCodeInterpreterTool(options: CodeInterpreterToolOptions): RunTool {
  const runtimes = (Object.keys(options.sandboxes) as CodeInterpreterRuntime[]).filter(
    (runtime) => options.sandboxes[runtime] !== undefined,
  );
  if (runtimes.length === 0) throw new Error('createCodeInterpreterTool needs at least one sandbox');
  const defaultRuntime =
    options.defaultRuntime ??
    (options.sandboxes.pyodide ? 'pyodide' : (runtimes[0] as CodeInterpreterRuntime));
  if (!options.sandboxes[defaultRuntime])
    throw new Error(`the default runtime '${defaultRuntime}' has no sandbox`);
  const maxChars = options.maxOutputChars ?? DEFAULT_TOOL_OUTPUT_CHARS;
  return {
    definition: {
      name: CODE_INTERPRETER_TOOL,
      description: DESCRIPTION,
      parameters: {
        type: 'object',
        properties: {
          code: { type: 'string', description: 'The Python code to run.' },
          runtime: {
            type: 'string',
            enum: runtimes,
            description: `Where to run it. Default '${defaultRuntime}'.`,
          },
          reset: {
            type: 'boolean',
            description:
              'Start from a fresh interpreter before running the code: forgets the variables, imports and files of earlier calls.',
          },
        },
        required: ['code'],
        additionalProperties: false,
      },
    },
    async execute(args: unknown, context: ToolContext): Promise<ToolResult> {
      const parsed = parseArguments(args, runtimes);
      if (typeof parsed === 'string') return { output: parsed, isError: true };
      const runtime = parsed.runtime ?? defaultRuntime;
      const sandbox = options.sandboxes[runtime]!;
      const sessionId = options.sessionId?.(context) ?? context.callId;
      if (parsed.reset) await sandbox.reset(`${runtime}:${sessionId}`);
      const result = await sandbox.run({
        code: parsed.code,
        sessionId: `${runtime}:${sessionId}`,
        files: (await options.files?.(context)) ?? [],
        timeoutMs: options.timeoutMs,
        signal: context.signal,
      });
      await options.onResult?.({ callId: context.callId, sessionId, runtime, code: parsed.code, result });
      return { output: formatSandboxResult(result, maxChars), isError: result.status !== 'ok' };
    },
  };
}

function parseArguments(
  args: unknown,
  runtimes: CodeInterpreterRuntime[],
): { code: string; runtime?: CodeInterpreterRuntime; reset?: boolean } | string {
  if (typeof args !== 'object' || args === null) return 'Invalid arguments: expected an object with "code".';
  const { code, runtime, reset } = args as Record<string, unknown>;
  if (typeof code !== 'string' || code.trim() === '')
    return 'Invalid arguments: "code" must be a non-empty string.';
  if (reset !== undefined && typeof reset !== 'boolean')
    return 'Invalid arguments: "reset" must be true or false.';
  const fresh = reset === true ? { reset: true } : {};
  if (runtime === undefined || runtime === null) return { code, ...fresh };
  if (typeof runtime !== 'string' || !runtimes.includes(runtime as CodeInterpreterRuntime))
    return `Invalid arguments: "runtime" must be one of ${runtimes.map((r) => `'${r}'`).join(', ')}.`;
  return { code, runtime: runtime as CodeInterpreterRuntime, ...fresh };
}
