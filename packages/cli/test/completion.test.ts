import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-support.js';

/** What bash offers after `words` (the last one being completed), with the script the CLI prints. */
function complete(script: string, words: string[]): string[] {
  const quoted = words.map((word) => `'${word}'`).join(' ');
  const result = spawnSync(
    'bash',
    [
      '-c',
      `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _agentd_complete; echo "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  return result.stdout.trim().split(/\s+/).filter(Boolean).sort();
}

describe('agentd completion', () => {
  it('completes verbs and the flags of each, from the program itself', async () => {
    const bash = await runCli(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(complete(bash.stdout, ['agentd', 'lo'])).toEqual(['log', 'login']);
    expect(complete(bash.stdout, ['agentd', 'log', ''])).toEqual(['--help', 'tail']);
    expect(complete(bash.stdout, ['agentd', 'log', 'tail', '--f'])).toEqual(['--filter', '--follow']);
    expect(complete(bash.stdout, ['agentd', 'agents', 'create', '--'])).toEqual([
      '--file',
      '--help',
      '--instructions',
      '--model',
      '--tools',
    ]);
    const fish = await runCli(['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain("completion knows bash and zsh (got 'fish')");
  });
});
