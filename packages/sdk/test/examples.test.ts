import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AgentdWithFakeModel } from '@agentd/test-server';
import type { FakeOpenAI, FakeTurn } from '@agentd/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSdkServer } from './support.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs an example as a user would: node, the built SDK, the server's URL and key in the environment. */
function run(
  agentd: AgentdWithFakeModel,
  example: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [`examples/sdk/${example}`],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          AGENTD_URL: agentd.server.url,
          AGENTD_API_KEY: agentd.server.adminKey,
          ...env,
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('examples/sdk, run against a real server with the fake model', () => {
  let agentd: Awaited<ReturnType<typeof startSdkServer>>;
  let fake: FakeOpenAI;
  const script = (...turns: FakeTurn[]) => fake.enqueue(...turns);

  beforeAll(async () => {
    // The examples import @agentd/sdk as users do: its build.
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/sdk'], { cwd: root });
    agentd = await startSdkServer();
    ({ fake } = agentd);
  });
  afterAll(async () => agentd?.close());
  beforeEach(() => fake.reset());

  it('chat.mjs asks, then follows up in the same thread', async () => {
    script({ text: 'Mount Fuji is 3,776 m tall.' }, { text: 'About 12,388 ft.' });
    const result = await run(agentd, 'chat.mjs');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Mount Fuji is 3,776 m tall.\nAbout 12,388 ft.\n');
    expect(JSON.stringify(fake.requests[1]?.body)).toContain('3,776 m');
  });

  it('client-tool.mjs runs add in its own process and streams the answer', async () => {
    script(
      { toolCalls: [{ name: 'add', arguments: '{"a":1234,"b":5678}' }] },
      { text: '1234 + 5678 = 6912.' },
    );
    const result = await run(agentd, 'client-tool.mjs');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[ran add({"a":1234,"b":5678}) here: 6912]');
    expect(result.stdout).toContain('1234 + 5678 = 6912.');
  });

  it('stored-agent.mjs defines the analyst, whose code runs in the server’s interpreter', async () => {
    script(
      {
        toolCalls: [
          {
            name: 'code_interpreter',
            arguments: JSON.stringify({ code: 'print(sum(n*n for n in range(1, 11)))' }),
          },
        ],
      },
      { text: 'The sum is 385.' },
    );
    const result = await run(agentd, 'stored-agent.mjs');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('[output] 385');
    expect(result.stdout).toContain('The sum is 385.');
    expect((await agentd.client.agents.findByName('analyst'))?.tools).toEqual(['code_interpreter']);
    // Run again: the agent is updated, not created twice.
    script({ text: 'Again.' });
    expect((await run(agentd, 'stored-agent.mjs')).stderr).toBe('');
    expect((await agentd.client.agents.findByName('analyst'))?.version).toBe(2);
  });

  it('background.mjs starts a run and polls it to its end', async () => {
    script({ text: 'Queues wait, then move.', chunkDelayMs: 20 });
    const result = await run(agentd, 'background.mjs');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^started resp_\w+ \((queued|in_progress)\)\ncompleted: Queues wait, then move\.\n$/,
    );
  });

  it('approvals.mjs pays only once approved, and not when denied', async () => {
    script(
      { toolCalls: [{ name: 'send_payment', arguments: '{"to":"Alice","amount":20}' }] },
      { text: 'Sent 20 to Alice.' },
    );
    const approved = await run(agentd, 'approvals.mjs');
    expect(approved.stderr).toBe('');
    expect(approved.stdout).toContain('[approval] send_payment({"to":"Alice","amount":20}): approved');
    expect(approved.stdout).toContain('[payments] sent 20 to Alice');
    expect(approved.stdout).toContain('Sent 20 to Alice.');

    script(
      { toolCalls: [{ name: 'send_payment', arguments: '{"to":"Alice","amount":20}' }] },
      { text: 'I did not send it.' },
    );
    const denied = await run(agentd, 'approvals.mjs', { APPROVE: 'no' });
    expect(denied.stderr).toBe('');
    expect(denied.stdout).toContain('denied');
    expect(denied.stdout).not.toContain('[payments]');
    expect(JSON.stringify(fake.requests.at(-1)?.body)).toContain('not today');
  });

  it('an example without a key says what it needs', async () => {
    const result = await run(agentd, 'chat.mjs', { AGENTD_API_KEY: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Set AGENTD_API_KEY');
  });
});
