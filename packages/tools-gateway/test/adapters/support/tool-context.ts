import type { ToolContext } from '@agentd/spec';

let calls = 0;

export function toolContext(signal: AbortSignal = new AbortController().signal): ToolContext {
  calls++;
  return { signal, callId: `call_${calls}` };
}

/** Polls until the check gives a value (not false or undefined) or the time is up; the last failure is rethrown. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== undefined) return value as Exclude<T, false | undefined>;
      if (Date.now() > deadline) throw new Error('waitFor: condition still false');
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
