import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Agent, type Agentd, type FunctionTool } from '@agentd/sdk';
import type { ResponseObject } from '@agentd/spec';
import { connect, describeError } from './connection.js';
import { type LocalServer, startLocalServer } from './local-server.js';
import { loadLocalTools } from './local-tools.js';
import { createEventRenderer, type Output } from './render-events.js';

export interface RemoteRunOptions {
  question: string;
  url?: string | undefined;
  key?: string | undefined;
  agent?: string | undefined;
  /** The server's tools to offer, comma separated. */
  tools?: string | undefined;
  toolDir?: string | undefined;
  model?: string | undefined;
  instructions?: string | undefined;
  json?: boolean | undefined;
  /** Where images are saved (default: the working directory). */
  outDir?: string | undefined;
  /** Run on a throwaway server started for this run (`--local`), not on a running one. */
  local?: boolean | undefined;
  env: Record<string, string | undefined>;
  out: Output;
  err: Output;
}

/**
 * `agentd run` through the SDK, against a running server or (`--local`) a
 * throwaway one started as a process for this run: the steps as they happen,
 * the answer streamed; `--json` prints the final response only. Returns the
 * exit code: 0 when the run completed, 1 otherwise, 2 for a bad tool directory.
 */
export async function remoteRun(options: RemoteRunOptions): Promise<number> {
  let tools: FunctionTool[] = [];
  let close = async () => {};
  if (options.toolDir) {
    try {
      const local = await loadLocalTools(options.toolDir, options.env, options.json ? quiet : options.err);
      tools = local.tools;
      close = local.close;
    } catch (error) {
      options.err.write(
        `agentd: cannot read the tool directory ${resolve(options.toolDir)} (${describeError(error)})\n`,
      );
      return 2;
    }
  }
  let server: LocalServer | undefined;
  if (options.local) {
    try {
      server = await startLocalServer(options.env);
    } catch (error) {
      options.err.write(`agentd: ${describeError(error)}\n`);
      await close();
      return 1;
    }
  }
  const client = connect(server ? { url: server.url, key: server.key } : options, options.env);
  const agent = new Agent({
    client,
    tools: [...tools, ...toolNames(options.tools)],
    ...(options.agent ? { agent: options.agent } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.instructions ? { instructions: options.instructions } : {}),
  });
  const controller = new AbortController();
  // A run that failed with an `error` event may end its stream without a terminal event: the error said it all.
  let failed = false;
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    const stream = agent.stream(options.question, { signal: controller.signal });
    const render = options.json
      ? undefined
      : createEventRenderer(options.out, options.err, {
          env: options.env,
          saveImage: (fileId) => saveImage(client, fileId, options.outDir ?? '.'),
        });
    for await (const event of stream) {
      if (!render) continue;
      if (event.type === 'error') failed = true;
      if (event.type === 'client_tool_call.completed') {
        render.note(`→ ${event.name} ${event.arguments}`);
        render.note(`← ${event.error ? `error: ${event.output}` : event.output}`);
      } else if (event.type === 'approval_request.answered')
        render.note(`? ${event.request.name}: ${event.approve ? 'approved' : 'denied'}`);
      else render(event);
    }
    await render?.finish();
    const final: ResponseObject = await stream.finalResponse();
    if (options.json) options.out.write(`${JSON.stringify(final, null, 2)}\n`);
    return final.status === 'completed' ? 0 : 1;
  } catch (error) {
    if (!failed) options.err.write(`agentd: ${describeError(error, client.baseURL)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    await close();
    await server?.close();
  }
}

const quiet: Output = { write: () => {} };

/** Downloads a stored image to `dir`, named by its file id. */
export async function saveImage(client: Agentd, fileId: string, dir: string): Promise<string> {
  const response = await client.files.content(fileId);
  const type = response.headers.get('content-type') ?? '';
  const extension = type.includes('jpeg') ? 'jpg' : type.includes('webp') ? 'webp' : 'png';
  const path = join(dir, `${fileId}.${extension}`);
  await writeFile(path, new Uint8Array(await response.arrayBuffer()));
  return path;
}

/** `--tools a,b`: names of the server's tools. */
export function toolNames(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}
