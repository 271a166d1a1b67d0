import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Agentd, CreateApiKeyParams } from '@agentd/sdk';
import type { Command } from 'commander';
import { connect, UsageError } from './connection.js';
import type { Output } from './render-events.js';

interface Io {
  env: Record<string, string | undefined>;
  out: Output;
  err: Output;
}

type Wrap = <A extends (...args: never[]) => Promise<number>>(
  action: A,
) => (...args: Parameters<A>) => Promise<void>;

interface Row {
  id: string;
  [field: string]: unknown;
}

/** One resource's verbs: how to list, read, create and delete it, and the columns its table shows. */
interface ResourceSpec {
  name: string;
  description: string;
  columns: string[];
  list(client: Agentd): Promise<{ data: Row[] }>;
  get(client: Agentd, id: string): Promise<unknown>;
  del(client: Agentd, id: string): Promise<unknown>;
  create?: {
    arguments: string;
    describe: string;
    options: [string, string][];
    run(client: Agentd, args: string[], options: Record<string, string | undefined>): Promise<unknown>;
  };
}

const RESOURCES: ResourceSpec[] = [
  {
    name: 'agents',
    description: 'stored agents',
    columns: ['id', 'name', 'model', 'version'],
    list: (client) => client.agents.list({ limit: 100 }) as never,
    get: async (client, id) => (id.startsWith('agent_') ? client.agents.retrieve(id) : findAgent(client, id)),
    del: async (client, id) =>
      client.agents.del(id.startsWith('agent_') ? id : ((await findAgent(client, id)) as Row).id),
    create: {
      arguments: '<name>',
      describe: 'create an agent (or give its whole definition with --file)',
      options: [
        ['--instructions <text>', 'its instructions'],
        ['--model <name>', 'its model'],
        ['--tools <names>', 'tools, comma separated (e.g. code_interpreter,web_search)'],
        ['--file <json>', 'a JSON file with the agent’s fields'],
      ],
      run: async (client, [name], options) => {
        const fromFile = options.file ? JSON.parse(await readFile(options.file, 'utf8')) : {};
        return client.agents.create({
          ...fromFile,
          name,
          ...(options.instructions ? { instructions: options.instructions } : {}),
          ...(options.model ? { model: options.model } : {}),
          ...(options.tools ? { tools: options.tools.split(',').map((tool) => tool.trim()) } : {}),
        } as never);
      },
    },
  },
  {
    name: 'tools',
    description: 'registered tools (HTTP, OpenAPI, MCP)',
    columns: ['id', 'name', 'adapter.type', 'status'],
    list: (client) => client.tools.list({ limit: 100 }) as never,
    get: (client, id) => client.tools.retrieve(id),
    del: (client, id) => client.tools.del(id),
    create: {
      arguments: '<manifest>',
      describe: 'register a tool from its manifest file (JSON)',
      options: [],
      run: async (client, [file]) => client.tools.create(JSON.parse(await readFile(file!, 'utf8'))),
    },
  },
  {
    name: 'keys',
    description: 'API keys (create shows the secret once)',
    columns: ['id', 'name', 'role', 'redacted_value'],
    list: (client) => client.apiKeys.list({ limit: 100 }) as never,
    get: (client, id) => client.apiKeys.retrieve(id),
    del: (client, id) => client.apiKeys.del(id),
    create: {
      arguments: '<name>',
      describe: 'create a key; its secret (value) is shown only this once',
      options: [
        ['--role <role>', 'member (default), admin or platform_admin'],
        ['--scopes <scopes>', 'scopes, comma separated'],
      ],
      run: (client, [name], options) =>
        client.apiKeys.create({
          name: name!,
          // The server names a role it does not know (400).
          ...(options.role ? { role: options.role as CreateApiKeyParams['role'] } : {}),
          ...(options.scopes ? { scopes: options.scopes.split(',').map((scope) => scope.trim()) } : {}),
        }),
    },
  },
  {
    name: 'files',
    description: 'uploaded files',
    columns: ['id', 'filename', 'purpose', 'bytes'],
    list: (client) => client.files.list({ limit: 100 }) as never,
    get: (client, id) => client.files.retrieve(id),
    del: (client, id) => client.files.del(id),
    create: {
      arguments: '<path>',
      describe: 'upload a file',
      options: [['--purpose <purpose>', 'its purpose (default: assistants)']],
      run: async (client, [path], options) =>
        client.files.create({
          file: new Uint8Array(await readFile(path!)),
          filename: basename(path!),
          purpose: options.purpose ?? 'assistants',
        }),
    },
  },
];

async function findAgent(client: Agentd, name: string) {
  const agent = await client.agents.findByName(name);
  if (!agent) throw new UsageError(`no agent named '${name}'`);
  return agent;
}

/** `agentd agents|tools|keys|files list|get|create|delete`, each printing a table or, with --json, JSON. */
export function addResourceCommands(root: Command, io: Io, wrap: Wrap): void {
  for (const spec of RESOURCES) {
    const group = root.command(spec.name).description(spec.description);
    const client = (command: Command) => connect(command.optsWithGlobals(), io.env);
    group
      .command('list')
      .description(`list the ${spec.name}`)
      .option('--json', 'print JSON')
      .action(
        wrap(async (options: { json?: boolean }, command: Command) => {
          const page = await spec.list(client(command));
          io.out.write(
            options.json ? `${JSON.stringify(page.data, null, 2)}\n` : table(page.data, spec.columns),
          );
          return 0;
        }),
      );
    group
      .command('get')
      .description(`show one of the ${spec.name} (JSON)`)
      .argument('<id>', spec.name === 'agents' ? 'its id or name' : 'its id')
      .action(
        wrap(async (id: string, _options: object, command: Command) => {
          io.out.write(`${JSON.stringify(await spec.get(client(command), id), null, 2)}\n`);
          return 0;
        }),
      );
    group
      .command('delete')
      .description(`delete one of the ${spec.name}`)
      .argument('<id>', spec.name === 'agents' ? 'its id or name' : 'its id')
      .action(
        wrap(async (id: string, _options: object, command: Command) => {
          await spec.del(client(command), id);
          io.out.write(`deleted ${id}\n`);
          return 0;
        }),
      );
    if (spec.name === 'tools') addValidate(group, io, wrap);
    if (spec.create) {
      const create = spec.create;
      const verb = group.command('create').description(create.describe).argument(create.arguments);
      for (const [flags, text] of create.options) verb.option(flags, text);
      verb.action(
        wrap(async (arg: string, options: Record<string, string | undefined>, command: Command) => {
          io.out.write(`${JSON.stringify(await create.run(client(command), [arg], options), null, 2)}\n`);
          return 0;
        }),
      );
    }
  }
}

/** `agentd tools validate DIR`: checks every manifest of a directory, offline; exit 1 if one is bad. */
function addValidate(group: Command, io: Io, wrap: Wrap): void {
  group
    .command('validate')
    .description('check the tool manifests of a directory, offline (exit 1 if one is bad)')
    .argument('<dir>', 'the directory')
    .action(
      wrap(async (dir: string) => {
        const { loadToolDir } = await import('@agentd/tools-gateway');
        let contents: Awaited<ReturnType<typeof loadToolDir>>;
        try {
          contents = await loadToolDir(dir);
        } catch (error) {
          throw new UsageError(
            `cannot read ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
          );
        }
        for (const { file, manifest } of contents.loaded) io.out.write(`ok    ${file}: ${manifest.name}\n`);
        for (const rejected of contents.rejected) io.out.write(`bad   ${rejected.error}\n`);
        io.out.write(`${contents.loaded.length} valid, ${contents.rejected.length} invalid\n`);
        return contents.rejected.length === 0 ? 0 : 1;
      }),
    );
}

function table(rows: Row[], columns: string[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map((column) => format(pick(row, column))));
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...cells.map((line) => line[index]!.length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index]!))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((column) => column.toUpperCase())), ...cells.map(line)].join('\n')}\n`;
}

function pick(row: Row, path: string): unknown {
  let value: unknown = row;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

function format(value: unknown): string {
  if (value === undefined || value === null) return '-';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
