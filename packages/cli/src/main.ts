#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { describeError, UsageError } from './connection.js';
import { addResourceCommands } from './resource-commands.js';

const ROLES = ['all', 'api', 'worker'];
const env = process.env;
const io = { env, out: process.stdout, err: process.stderr };

/** Every command's action returns its exit code. */
type Action = (...args: never[]) => Promise<number>;

function program(): Command {
  const root = new Command('agentd')
    .description('agentd: run agents against a running agentd server, or start one')
    .option(
      '--url <url>',
      'the server (default: AGENTD_URL, then `agentd login`, then http://127.0.0.1:8787)',
    )
    .option('--key <key>', 'the API key (default: AGENTD_API_KEY, then `agentd login`)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`agentd: ${text.replace(/^error: /, '')}`),
    });
  root.addHelpText(
    'after',
    '\nColour and the spinner show only on a terminal, and never with NO_COLOR set.\nExit codes: 0 success, 1 failure (run failed, server unreachable, key refused), 2 usage.',
  );

  root
    .command('serve')
    .description('start the server here (the same as npm start without the build)')
    .option(
      '--role <value>',
      'all (default), api (serves the API only) or worker (executes runs only); api and worker need DATABASE_URL and REDIS_URL',
    )
    .action(
      run(async (options: { role?: string }) => {
        if (options.role !== undefined) {
          if (!ROLES.includes(options.role))
            throw new UsageError(`--role must be all, api or worker (got '${options.role}')`);
          env.AGENTD_ROLE = options.role;
        }
        // The server's own entry point, as a process: the CLI never loads the server.
        const { serveInForeground } = await import('./local-server.js');
        return serveInForeground(env);
      }),
    );

  root
    .command('login')
    .description('check a URL and key against the server, and store them in your config (mode 0600)')
    .action(
      run(async (_options: object, command: Command) => {
        const { login } = await import('./login-command.js');
        return login({ ...io, ...globals(command) });
      }),
    );

  root
    .command('run')
    .description('run an agent on the server and show its steps as they happen; the answer on stdout')
    .argument('[prompt...]', 'what to ask')
    .option('--agent <name>', 'a stored agent (name or id)')
    .option('--tool-dir <dir>', 'tool manifests whose tools run here, in this process')
    .option('--model <name>', 'the model')
    .option('--instructions <text>', 'the instructions')
    .option(
      '--tools <names>',
      "the server's tools to offer, comma separated (e.g. code_interpreter,web_search)",
    )
    .option('--out-dir <dir>', 'where images the run makes are saved', '.')
    .option('--json', 'print the final response as JSON, nothing else')
    .option(
      '--local',
      'run on a throwaway server started here for this run (its data removed afterwards) instead of a running one',
    )
    .action(
      run(async (words: string[], options: RunFlags, command: Command) => {
        const question = words.join(' ').trim();
        if (!question) throw new UsageError('run needs a question');
        const { remoteRun } = await import('./remote-run.js');
        return remoteRun({ ...io, ...globals(command), ...options, question });
      }),
    );

  root
    .command('chat')
    .description('talk with an agent: each line a turn, the answer streamed, /stop, approvals asked here')
    .option('--agent <name>', 'a stored agent (name or id)')
    .option('--model <name>', 'the model')
    .option('--instructions <text>', 'the instructions')
    .option(
      '--tools <names>',
      "the server's tools to offer, comma separated (e.g. code_interpreter,web_search)",
    )
    .option('--out-dir <dir>', 'where images are saved', '.')
    .action(
      run(async (options: ChatFlags, command: Command) => {
        const { chat } = await import('./chat-command.js');
        return chat({ ...io, ...globals(command), ...options, input: process.stdin });
      }),
    );

  root
    .command('responses')
    .description('runs')
    .command('events')
    .description("a run's event log: replayed, or live with --follow")
    .argument('<id>', 'the response id')
    .option('--follow', 'keep following the run until it ends')
    .option('--json', 'one event per line, as JSON')
    .action(
      run(async (id: string, options: { follow?: boolean; json?: boolean }, command: Command) => {
        const { responseEvents } = await import('./events-command.js');
        return responseEvents({ ...io, ...globals(command), id, ...options });
      }),
    );

  root
    .command('log')
    .description("the server's logs")
    .command('tail')
    .description("the server's last log lines (a platform admin's key), redacted as the logs are")
    .option('--follow', 'keep printing new lines as they are written')
    .option(
      '--filter <field=value>',
      'only lines with request_id=..., tenant=... or level=... (at or above); repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--lines <n>', 'how many of the last lines to show first (default 100, at most 1000)')
    .option('--json', 'the JSON lines as written')
    .action(
      run(
        async (
          options: { follow?: boolean; filter?: string[]; lines?: string; json?: boolean },
          command: Command,
        ) => {
          const { logTail } = await import('./log-command.js');
          return logTail({ ...io, ...globals(command), ...options });
        },
      ),
    );

  const audit = root.command('audit').description('the audit log');
  audit
    .command('verify')
    .description(
      "check the hash chain of the key's tenant's audit log and name its first broken link (exit 1)",
    )
    .option('--api-key <key>', 'an admin key (same as --key)')
    .action(
      run(async (options: { apiKey?: string }, command: Command) => {
        const flags = globals(command);
        const apiKey = options.apiKey ?? flags.key ?? env.AGENTD_API_KEY;
        if (!apiKey) throw new UsageError('audit verify needs an admin key: --api-key or AGENTD_API_KEY');
        const { auditVerify } = await import('./audit-command.js');
        return auditVerify({ ...io, url: flags.url ?? env.AGENTD_URL ?? 'http://127.0.0.1:8787', apiKey });
      }),
    );
  audit.action(() => {
    throw new UsageError('audit takes one command, verify');
  });

  addResourceCommands(root, io, run);
  root
    .command('completion')
    .description('print a shell completion script: source <(agentd completion bash), or zsh')
    .argument('[shell]', 'bash or zsh', 'bash')
    .action(
      run(async (shell: string) => {
        if (shell !== 'bash' && shell !== 'zsh')
          throw new UsageError(`completion knows bash and zsh (got '${shell}')`);
        const { completionScript } = await import('./completion.js');
        process.stdout.write(completionScript(root, shell));
        return 0;
      }),
    );
  return root;
}

interface ChatFlags {
  agent?: string;
  model?: string;
  instructions?: string;
  tools?: string;
  outDir?: string;
}

interface RunFlags {
  tools?: string;
  agent?: string;
  toolDir?: string;
  model?: string;
  instructions?: string;
  outDir?: string;
  json?: boolean;
  local?: boolean;
}

/** The connection flags, wherever they were given (before or after the verb). */
export function globals(command: Command): { url?: string; key?: string } {
  return command.optsWithGlobals() as { url?: string; key?: string };
}

/** Wraps an action: its code becomes the exit code; a UsageError exits 2 with the verb's usage. */
function run<A extends Action>(action: A): (...args: Parameters<A>) => Promise<void> {
  return async (...args) => {
    const command = args.at(-1) as unknown as Command;
    let code: number;
    try {
      code = await action(...args);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`agentd: ${error.message}\nusage: ${path(command)} ${command.usage()}\n`);
      code = 2;
    }
    process.exitCode = code;
  };
}

function path(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

try {
  await program().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    process.stderr.write(`agentd: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`agentd: ${describeError(error)}\n`);
    process.exitCode = 1;
  }
}
// Lingering handles (keep-alive sockets) must not keep a finished command alive.
process.exit();
