import type { ToolContext, ToolResult, ToolScope } from '@agentd/core';
import type { CodeInterpreterOutput } from '@agentd/spec';
import {
  type CodeInterpreterCall,
  type CodeInterpreterRuntime,
  createCodeInterpreterTool,
  type Sandbox,
  type SandboxInputFile,
  type SandboxResult,
} from '@agentd/tool-code-interpreter';
import type { BuiltinTool } from '@agentd/tools-gateway';
import type { Logger } from 'pino';
import { type ArtifactStore, artifactUrl } from './artifact-store.js';
import { type FileReadGuard, type WithheldRead, withheldNote } from './file-read-guard.js';
import { containerIdOf, sessionOf, toResult } from './tool-session.js';

export interface CodeInterpreterBuiltinOptions {
  sandboxes: Partial<Record<CodeInterpreterRuntime, Sandbox>>;
  artifacts: ArtifactStore;
  logger: Logger;
  /** Reads one of the tenant's files, for the run's `container.file_ids`. */
  readFile?: (scope: ToolScope, fileId: string) => Promise<{ filename: string; bytes: Buffer }>;
  /** Whether the run may read each of those files (the policies' `read_file`); all may be read without it. */
  fileReads?: FileReadGuard;
}

/** Beside the model's arguments (run-settings.ts adds it): the file ids to place under /mnt/data. */
export const CODE_INTERPRETER_FILES_ARG = '__file_ids';

/**
 * code_interpreter: the package's tool, with its session keyed by tenant and
 * conversation, its call shown as a code_interpreter_call item, and its
 * images and files stored as artifacts.
 */
export function createCodeInterpreterBuiltin(options: CodeInterpreterBuiltinOptions): BuiltinTool {
  const { sandboxes } = options;
  const template = createCodeInterpreterTool({ sandboxes });
  const defaultRuntime: CodeInterpreterRuntime = sandboxes.pyodide ? 'pyodide' : 'cpython';
  return {
    definition: template.definition,
    async execute(rawArgs, context): Promise<ToolResult> {
      const { [CODE_INTERPRETER_FILES_ARG]: fileIds = [], ...args } = (rawArgs ?? {}) as Record<
        string,
        unknown
      > & {
        [CODE_INTERPRETER_FILES_ARG]?: string[];
      };
      const { code, runtime } = args as { code?: unknown; runtime?: CodeInterpreterRuntime };
      const session = sessionOf(context);
      const chosen = runtime ?? defaultRuntime;
      const item =
        typeof code === 'string'
          ? context.startItem?.({
              type: 'code_interpreter_call',
              code,
              container_id: containerIdOf(session, chosen),
              runtime: chosen,
            })
          : undefined;
      item?.working();
      let finished: CodeInterpreterCall | undefined;
      const withheld: WithheldRead[] = [];
      const tool = createCodeInterpreterTool({
        sandboxes,
        defaultRuntime,
        sessionId: () => session,
        ...(fileIds.length > 0 ? { files: () => inputFiles(fileIds, context, options, withheld) } : {}),
        onResult: (call) => {
          finished = call;
        },
      });
      const ran = toResult(await tool.execute!(args, context));
      const result =
        withheld.length === 0
          ? ran
          : {
              ...ran,
              output: `${ran.output}\n\n${withheldNote(withheld, 'they were not placed under /mnt/data')}`,
            };
      if (!finished) {
        item?.finish({ status: 'failed', outputs: [{ type: 'logs', logs: result.output }] });
        return result;
      }
      const outputs: CodeInterpreterOutput[] = [];
      const logs = logsOf(finished.result);
      if (logs) outputs.push({ type: 'logs', logs });
      const stored = await storeArtifacts(finished.result, context, options, outputs);
      item?.finish({ status: itemStatus(finished.result.status), outputs });
      if (stored.length === 0) return result;
      return { ...result, output: `${result.output}\n\nStored for the user: ${stored.join('; ')}.` };
    },
  };
}

/** The run's attached files, read-only under /mnt/data by their names (a clash keeps both, by id). */
async function inputFiles(
  fileIds: readonly string[],
  context: ToolContext,
  options: CodeInterpreterBuiltinOptions,
  withheld: WithheldRead[],
): Promise<SandboxInputFile[]> {
  const scope = context.scope;
  if (!scope || !options.readFile) return [];
  const refused = options.fileReads
    ? await options.fileReads.withheld(
        scope,
        'code_interpreter',
        fileIds.map((id) => ({ type: 'file', id })),
      )
    : [];
  withheld.push(...refused);
  const out = new Set(refused.map((read) => read.id));
  const taken = new Set<string>();
  const files: SandboxInputFile[] = [];
  for (const id of fileIds.filter((fileId) => !out.has(fileId))) {
    const file = await options.readFile(scope, id);
    const name = file.filename.replace(/[/\\]/g, '_') || id;
    const path = taken.has(name) ? `${id}-${name}` : name;
    taken.add(path);
    files.push({ path, bytes: file.bytes });
  }
  return files;
}

function itemStatus(status: SandboxResult['status']): 'completed' | 'incomplete' | 'failed' {
  switch (status) {
    case 'ok':
    case 'error':
      // The interpreter ran: an exception is the code's outcome, shown in the logs.
      return 'completed';
    case 'cancelled':
      return 'incomplete';
    default:
      return 'failed';
  }
}

/** What a notebook shows: stdout, stderr, the last value, the traceback. */
function logsOf(result: SandboxResult): string {
  const error = result.error ? result.error.traceback || `${result.error.type}: ${result.error.message}` : '';
  return [result.stdout, result.stderr, result.result ?? '', error]
    .map((part) => part.replace(/\n$/, ''))
    .filter((part) => part !== '')
    .join('\n');
}

/** Stores the figures and files of a call; returns what to tell the model. Storage failures cost only the artifact. */
async function storeArtifacts(
  result: SandboxResult,
  context: ToolContext,
  options: CodeInterpreterBuiltinOptions,
  outputs: CodeInterpreterOutput[],
): Promise<string[]> {
  const scope: ToolScope | undefined = context.scope;
  if (!scope) return [];
  const told: string[] = [];
  const save = async (filename: string, contentType: string, bytes: Uint8Array) => {
    try {
      return await options.artifacts.save(scope, { filename, contentType, bytes: Buffer.from(bytes) });
    } catch (error) {
      options.logger.warn(
        { err: error, response_id: scope.responseId, filename },
        'could not store an artifact',
      );
      return undefined;
    }
  };
  for (const [index, image] of result.images.entries()) {
    const saved = await save(`figure-${index + 1}.png`, image.mimeType, image.bytes);
    if (!saved) continue;
    outputs.push({ type: 'image', url: artifactUrl(saved), file_id: saved.fileId });
    told.push(`figure ${index + 1} as ${saved.fileId}`);
  }
  for (const file of result.files) {
    const filename = file.path.split('/').pop() || 'file';
    const saved = await save(filename, file.mimeType, file.bytes);
    if (!saved) continue;
    outputs.push({
      type: 'file',
      file_id: saved.fileId,
      url: artifactUrl(saved),
      path: file.path,
      mime_type: file.mimeType,
      bytes: file.bytes.byteLength,
    });
    told.push(`${file.path} as ${saved.fileId}`);
  }
  return told;
}
