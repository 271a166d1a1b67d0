#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { runCommand } from './run-command.js';

const USAGE = `usage:
  agentd run [--tool-dir DIR] [--model NAME] [--instructions TEXT] "question"
      run a one-off agent with the tools in DIR, showing its steps as they happen
  agentd serve
      start the server (the same as npm start without the build)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'serve') {
    await import('@agentd/server/main');
    return -1;
  }
  if (command !== 'run') {
    process.stderr.write(
      command === undefined || command === '--help'
        ? USAGE
        : `agentd: unknown command '${command}'\n${USAGE}`,
    );
    return command === '--help' ? 0 : 2;
  }
  let parsed: ReturnType<typeof parseRun>;
  try {
    parsed = parseRun(rest);
  } catch (error) {
    process.stderr.write(`agentd: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const question = parsed.positionals.join(' ').trim();
  if (!question) {
    process.stderr.write(`agentd: run needs a question\n${USAGE}`);
    return 2;
  }
  return runCommand({
    question,
    toolDir: parsed.values['tool-dir'],
    model: parsed.values.model,
    instructions: parsed.values.instructions,
    env: process.env,
    out: process.stdout,
    err: process.stderr,
  });
}

function parseRun(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      'tool-dir': { type: 'string' },
      model: { type: 'string' },
      instructions: { type: 'string' },
    },
  });
}

const code = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`agentd: ${(error as Error).message}\n`);
  return 1;
});
if (code >= 0) process.exit(code);
