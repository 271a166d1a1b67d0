import { validateArguments } from '@agentd/core';
import { runChecksFor } from './safety/run-checks-for.js';
import type { Services } from './services.js';
import { warmStatements } from './warm-statements.js';

/** A little of what runs check: prose, a link, code and a table. */
const SAMPLE = `# Result
The page at https://example.com/docs says: install the package, then run \`make\` (version 1.2.3).
| name | value |
|------|-------|
| depth | 42 |
def main():
    print("hello, world")
Contact the team at team@example.com for more; see [1] and [2].`;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Pays in the background of a start what the first run would otherwise pay
 * (about half a second of CPU, measured with the CPU profiler on a first
 * request): the router's matchers, the built-in tools' argument validators (Ajv generates code per
 * schema; they are cached by the schema's text, so a run's fresh copies of
 * the same schemas find them), the classifier's weights (parsed once, shared)
 * and the regular expressions of the rules and the classifier (V8 compiles one
 * at its first use), through the platform's checks with no judge, and the
 * statements a first run sends (warmStatements). No state of any run or
 * tenant is made. `agentd serve` calls it once it listens; test
 * servers do not. Never rejects.
 */
export async function warmRunPath(
  services: Pick<
    Services,
    'tools' | 'safety' | 'db' | 'apiKeys' | 'limits' | 'toolRepository' | 'networkPolicies' | 'safetySettings'
  >,
  /** The server's own URL: a probe through it builds the router's matchers (Hono builds them on the first request). */
  url?: string,
): Promise<void> {
  try {
    if (url) await (await fetch(`${url}/healthz`)).arrayBuffer();
    await warmStatements(services);
    for (const tool of services.tools.builtins?.tools.values() ?? []) {
      validateArguments(tool.definition.parameters as Record<string, unknown>, '{}');
      await turn();
    }
    const checks = runChecksFor(services.safety.platform, { tenantId: 'warm-up' });
    if (!checks) return;
    const signal = new AbortController().signal;
    await checks.input?.(SAMPLE, signal);
    await turn();
    await checks.toolOutput?.('warm-up', SAMPLE, signal);
    await turn();
    const stream = checks.stream?.();
    if (stream) {
      for (const piece of SAMPLE.match(/\S+\s*/g) ?? []) stream.push(piece);
      stream.end();
    }
  } catch {}
}
