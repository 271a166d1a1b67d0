import { spawn } from 'node:child_process';
import { type Agentd, startAgentd } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, outputWaiters, runCli } from './cli-support.js';

describe('agentd log tail', () => {
  let agentd: Agentd;
  let env: Record<string, string>;

  beforeAll(async () => {
    agentd = await startAgentd({ backend: 'pglite' });
    env = { AGENTD_URL: agentd.server.url, AGENTD_API_KEY: agentd.server.adminKey };
  }, 120_000);
  afterAll(async () => {
    await agentd?.close();
  });

  /** A request to the server; its id, as the access log names it. */
  async function request(path = '/v1/agents'): Promise<string> {
    const response = await fetch(`${agentd.server.url}${path}`, {
      headers: { authorization: `Bearer ${agentd.server.adminKey}` },
    });
    await response.arrayBuffer();
    return response.headers.get('x-request-id')!;
  }

  it("shows one request's lines, redacted, and refuses a key that is not a platform admin's", async () => {
    const id = await request();
    await request();
    const tail = await runCli(['log', 'tail', '--filter', `request_id=${id}`, '--json'], env);
    expect(tail.code).toBe(0);
    const lines = tail.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.request_id).toBe(id);
    expect(lines.some((line) => line.status === 200)).toBe(true);
    const everything = await runCli(['log', 'tail', '--lines', '1000', '--json'], env);
    expect(everything.stdout).not.toContain(agentd.server.adminKey);

    const pretty = await runCli(['log', 'tail', '--filter', `request_id=${id}`], env);
    expect(pretty.stdout).toMatch(new RegExp(`^\\S+ info +.*request_id=${id}`, 'm'));
    const errorsOnly = await runCli(['log', 'tail', '--filter', 'level=error', '--json'], env);
    for (const line of errorsOnly.stdout.trim().split('\n').filter(Boolean))
      expect(['error', 'fatal']).toContain(JSON.parse(line).level);

    const member = await agentd.api.post('/v1/api_keys', { name: 'member', role: 'member' });
    const refused = await runCli(['log', 'tail'], { ...env, AGENTD_API_KEY: member.body.value });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('this key may not do that');
    const bad = await runCli(['log', 'tail', '--filter', 'colour=red'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "--filter takes FIELD=VALUE with FIELD one of request_id, tenant, level (got 'colour=red')",
    );
  });

  it('--follow prints the lines of requests made while it runs', async () => {
    const child = spawn(process.execPath, [CLI, 'log', 'tail', '--follow', '--lines', '0', '--json'], {
      env: { PATH: process.env.PATH ?? '', HOME: '/tmp', ...env },
    });
    let stdout = '';
    const { wake, until } = outputWaiters();
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      wake();
    });
    try {
      // --lines 0: only new lines. The stream is open once a request made after it started shows.
      const probes: string[] = [];
      let opened = false;
      const probing = (async () => {
        while (!opened) probes.push(await request('/v1/models'));
      })();
      await until(() => probes.some((id) => stdout.includes(id)));
      opened = true;
      await probing;
      expect(stdout).not.toContain('applied migrations');
      const id = await request();
      await until(() => stdout.includes(id));
      const line = stdout
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text))
        .find((entry) => entry.request_id === id);
      expect(line).toMatchObject({ request_id: id, status: 200, route: '/v1/agents' });
    } finally {
      child.kill();
    }
  });

  it('--follow: a reader that falls behind is dropped with a notice, and counts as an open stream meanwhile', async () => {
    const gauge = async () => {
      const text = await (await fetch(`${agentd.server.url}/metrics`)).text();
      return Number(/^agentd_open_streams (\d+)/m.exec(text)?.[1] ?? Number.NaN);
    };
    // The earlier test's stream closes once the server sees its client gone.
    while ((await gauge()) !== 0) await request('/v1/models');
    // Only warnings: the burst below, not the probes' access lines.
    const child = spawn(
      process.execPath,
      [CLI, 'log', 'tail', '--follow', '--lines', '0', '--json', '--filter', 'level=warn'],
      { env: { PATH: process.env.PATH ?? '', HOME: '/tmp', ...env } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      while ((await gauge()) !== 1) await request('/v1/models');
      // The CLI's stdout is not read yet: it blocks on its pipe, stops reading the stream, and the
      // server's queue for it fills with a burst of 25 MB of lines.
      const logger = agentd.server.server.services.logger;
      const filler = 'x'.repeat(64_000);
      for (let i = 0; i < 400; i++) logger.warn({ burst: i, filler }, 'burst');
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      expect(await exited).toBe(1);
      expect(stderr).toContain('agentd: the server dropped this tail: this reader fell more than');
      const shown = stdout.trim().split('\n').filter(Boolean);
      expect(shown.length).toBeLessThan(400);
      for (const line of shown) expect(JSON.parse(line).msg).toBe('burst');
      while ((await gauge()) !== 0) await request('/v1/models');
    } finally {
      child.kill();
    }
  });
});
