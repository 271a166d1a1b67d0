import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger, loadConfig, startServer } from '@agentd/server';
import { type ResponseEvent, readSse } from '@agentd/spec';
import { loadToolDir } from '@agentd/tools-gateway';
import { createEventRenderer, type Output } from './render-events.js';

export interface RunOptions {
  question: string;
  toolDir?: string | undefined;
  model?: string | undefined;
  instructions?: string | undefined;
  env: Record<string, string | undefined>;
  out: Output;
  err: Output;
}

/**
 * `agentd run`: a one-off agent with the tools of a directory, on a private
 * embedded server (in memory: nothing is kept), against the configured model
 * or the scripted one. Returns the process exit code.
 */
export async function runCommand(options: RunOptions): Promise<number> {
  const toolDir = options.toolDir ? resolve(options.toolDir) : undefined;
  let names: string[] = [];
  if (toolDir) {
    let contents: Awaited<ReturnType<typeof loadToolDir>>;
    try {
      contents = await loadToolDir(toolDir);
    } catch (error) {
      options.err.write(
        `agentd: cannot read the tool directory ${toolDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`,
      );
      return 2;
    }
    for (const rejected of contents.rejected) options.err.write(`agentd: skipped ${rejected.error}\n`);
    names = contents.loaded.map((entry) => entry.manifest.name);
    options.err.write(
      `agentd: ${names.length} tool${names.length === 1 ? '' : 's'} loaded${names.length ? `: ${names.join(', ')}` : ''}\n`,
    );
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'agentd-run-'));
  const config = loadConfig({
    ...options.env,
    AGENTD_PORT: '0',
    AGENTD_HOST: '127.0.0.1',
    AGENTD_DATA_DIR: dataDir,
    DATABASE_URL: undefined,
    AGENTD_ADMIN_KEY: undefined,
    AGENTD_TOOL_DIR: toolDir,
    // A one-off run boots an interpreter only if it calls the code interpreter.
    AGENTD_CODE_INTERPRETER_PREWARM: options.env.AGENTD_CODE_INTERPRETER_PREWARM ?? 'off',
  });
  const server = await startServer(config, { logger: createLogger('silent') });
  try {
    const key = server.admin.createdKey!;
    const response = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      // agentd-events: all adds the run's own events (tool calls, routing) that the renderer shows.
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'agentd-events': 'all',
      },
      body: JSON.stringify({
        input: options.question,
        stream: true,
        ...(names.length > 0 ? { tools: names } : {}),
        ...(options.model ? { model: options.model } : {}),
        ...(options.instructions ? { instructions: options.instructions } : {}),
      }),
    });
    if (!response.ok) {
      const body = (await response.json()) as { error?: { message?: string } };
      options.err.write(`agentd: ${body.error?.message ?? `HTTP ${response.status}`}\n`);
      return 1;
    }
    const render = createEventRenderer(options.out, options.err);
    let status = 'failed';
    for await (const event of readEvents(response)) {
      render(event);
      if ('response' in event && event.type !== 'response.created') status = event.response.status;
    }
    return status === 'completed' ? 0 : 1;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function* readEvents(response: Response): AsyncGenerator<ResponseEvent> {
  if (!response.body) return;
  for await (const message of readSse(response.body)) yield JSON.parse(message.data) as ResponseEvent;
}
