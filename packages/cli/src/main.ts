#!/usr/bin/env node
import { parseArgs } from 'node:util';

const USAGE = `usage:
  agentd run [--tool-dir DIR] [--model NAME] [--instructions TEXT] "question"
      run a one-off agent with the tools in DIR, showing its steps as they happen
  agentd serve [--role all|api|worker]
      start the server (the same as npm start without the build); --role sets AGENTD_ROLE:
      api serves the API only, worker executes runs only (both need DATABASE_URL and REDIS_URL)
  agentd audit verify [--url URL] [--api-key KEY]
      check the hash chain of the key's tenant's audit log and name its first broken link
      (exit 1); URL and KEY default to AGENTD_URL (else http://127.0.0.1:8787) and AGENTD_API_KEY
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'serve') {
    let role: string | undefined;
    try {
      role = parseServe(rest).values.role;
    } catch (error) {
      process.stderr.write(`agentd: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    if (role !== undefined) {
      if (!ROLES.includes(role)) {
        process.stderr.write(`agentd: --role must be all, api or worker (got '${role}')\n${USAGE}`);
        return 2;
      }
      process.env.AGENTD_ROLE = role;
    }
    // Imported only here: the other commands never load the server.
    await import('@agentd/server/main');
    return -1;
  }
  if (command === 'audit') return audit(rest);
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
  // Loaded only for `run`: it starts a server in-process, and `--help` or `serve` need none of that here.
  const { runCommand } = await import('./run-command.js');
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

const ROLES = ['all', 'api', 'worker'];

async function audit(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseAudit>;
  try {
    parsed = parseAudit(args);
  } catch (error) {
    process.stderr.write(`agentd: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.positionals.join(' ') !== 'verify') {
    process.stderr.write(`agentd: audit takes one command, verify\n${USAGE}`);
    return 2;
  }
  const apiKey = parsed.values['api-key'] ?? process.env.AGENTD_API_KEY;
  if (!apiKey) {
    process.stderr.write(`agentd: audit verify needs an admin key: --api-key or AGENTD_API_KEY\n${USAGE}`);
    return 2;
  }
  const { auditVerify } = await import('./audit-command.js');
  return auditVerify({
    url: parsed.values.url ?? process.env.AGENTD_URL ?? 'http://127.0.0.1:8787',
    apiKey,
    out: process.stdout,
    err: process.stderr,
  });
}

function parseAudit(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { url: { type: 'string' }, 'api-key': { type: 'string' } },
  });
}

function parseServe(args: string[]) {
  return parseArgs({ args, options: { role: { type: 'string' } } });
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
