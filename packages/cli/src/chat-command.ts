import { createInterface } from 'node:readline';
import { Agent, type ApprovalAnswer } from '@agentd/sdk';
import type { ApprovalRequestItem } from '@agentd/spec';
import { connect, describeError } from './connection.js';
import { saveImage, toolNames } from './remote-run.js';
import { createEventRenderer, type Output } from './render-events.js';
import { createStyle } from './style.js';

export interface ChatOptions {
  url?: string | undefined;
  key?: string | undefined;
  agent?: string | undefined;
  /** The server's tools to offer, comma separated. */
  tools?: string | undefined;
  model?: string | undefined;
  instructions?: string | undefined;
  outDir?: string | undefined;
  env: Record<string, string | undefined>;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  out: Output & { isTTY?: boolean };
  err: Output;
}

const HELP = 'commands: /stop stops the answer, /reset starts a new thread, /exit (or Ctrl-D) leaves';

/**
 * `agentd chat`: an interactive thread with an agent. Each line is a turn (the
 * thread continues with previous_response_id), the answer streams, `/stop`
 * cancels it, and approval requests are asked at the prompt. Lines typed
 * while an answer streams wait their turn, so a script may pipe a whole chat.
 */
export async function chat(options: ChatOptions): Promise<number> {
  const client = connect(options, options.env);
  const style = createStyle(options.out, options.env);
  const terminal = options.input.isTTY === true && options.out.isTTY === true;
  const rl = createInterface({
    input: options.input,
    output: options.out as NodeJS.WritableStream,
    terminal,
    historySize: 1000,
  });
  rl.setPrompt(style.bold('you> '));
  let answerApproval: ((line: string) => void) | undefined;
  const agent = new Agent({
    client,
    tools: toolNames(options.tools),
    ...(options.agent ? { agent: options.agent } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.instructions ? { instructions: options.instructions } : {}),
    onApproval: (request: ApprovalRequestItem) =>
      new Promise<ApprovalAnswer>((resolve) => {
        options.err.write(style.yellow(`? ${request.name} ${request.arguments} — approve? [y/N] `));
        answerApproval = (line) => {
          answerApproval = undefined;
          resolve(/^y(es)?$/i.test(line.trim()));
        };
      }),
  });
  const queue: string[] = [];
  let current: AbortController | undefined;
  let closed = false;
  let running = false;
  // Off a terminal (a script piping lines in) no prompt is written: stdout holds the answers only.
  const prompt = () => {
    if (terminal) rl.prompt();
  };
  let failures = 0;
  let finish: (() => void) | undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const turn = async (text: string) => {
    current = new AbortController();
    const render = createEventRenderer(options.out, options.err, {
      env: options.env,
      saveImage: (fileId) => saveImage(client, fileId, options.outDir ?? '.'),
    });
    try {
      for await (const event of agent.stream(text, { signal: current.signal })) {
        if (event.type === 'client_tool_call.completed' || event.type === 'approval_request.answered')
          continue;
        render(event);
      }
      await render.finish();
    } catch (error) {
      await render.finish();
      if (current.signal.aborted) options.err.write(style.dim('[stopped]\n'));
      else {
        failures++;
        options.err.write(`agentd: ${describeError(error, client.baseURL)}\n`);
      }
    } finally {
      current = undefined;
    }
  };

  const next = async () => {
    running = true;
    while (queue.length > 0) await handle(queue.shift()!);
    running = false;
    if (closed) finish?.();
    else prompt();
  };

  const handle = async (line: string) => {
    const text = line.trim();
    if (!text) return;
    if (text === '/exit' || text === '/quit') {
      closed = true;
      rl.close();
      return;
    }
    if (text === '/reset') {
      agent.reset();
      options.err.write(style.dim('[new thread]\n'));
      return;
    }
    if (text === '/help' || text === '/stop') {
      options.err.write(`${text === '/stop' ? 'nothing to stop; ' : ''}${HELP}\n`);
      return;
    }
    await turn(text);
  };

  rl.on('line', (line) => {
    if (answerApproval) return answerApproval(line);
    if (current) {
      if (line.trim() === '/stop') current.abort(new Error('stopped'));
      else queue.push(line);
      return;
    }
    queue.push(line);
    if (!running) void next();
  });
  rl.on('close', () => {
    closed = true;
    // An approval asked when the input ended is refused.
    answerApproval?.('n');
    if (!running) finish?.();
  });
  rl.on('SIGINT', () => {
    if (current) current.abort(new Error('stopped'));
    else rl.close();
  });
  if (terminal) options.err.write(style.dim(`agentd chat on ${client.baseURL}; ${HELP}\n`));
  prompt();
  await done;
  return failures > 0 ? 1 : 0;
}
