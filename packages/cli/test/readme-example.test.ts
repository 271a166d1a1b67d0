import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectOutput } from './cli-support.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The README's CLI example, exactly as a reader would paste it. */
function readmeCommand(): string {
  const line = readFileSync(`${ROOT}README.md`, 'utf8')
    .split('\n')
    .find((text) => text.startsWith('npm run agentd -- run '));
  if (!line) throw new Error('the README has no `npm run agentd -- run` example');
  return line;
}

describe('the README’s CLI example', () => {
  it('runs as written, with no model configured, and reports the tool’s answer', {
    timeout: 180_000,
  }, async () => {
    const command = readmeCommand();
    expect(command).toContain('--tool-dir examples/tools');
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (key.startsWith('AGENTD_') || key.startsWith('OPENAI_') || key === 'DATABASE_URL') continue;
      env[key] = value;
    }
    const result = await collectOutput(spawn('sh', ['-c', command], { cwd: ROOT, env }));
    expect(result.stderr).toContain('agentd: 1 tool loaded: weather');
    expect(result.stderr).toContain('→ weather {"city":"Oslo"}');
    // The scripted model reads the result spotlighted (marked as data), then reports it.
    expect(result.stdout).toContain('weather returned:\n');
    expect(result.stdout).toContain('{"city":"Oslo","sky":');
    expect(result.stdout).toContain('"source":"example data"');
    expect(result.code).toBe(0);
  });
});
