import type { ToolAdapter, ToolContext } from '@agentd/spec';
import { afterAll, describe, expect, it } from 'vitest';

/** A tool of an adapter under test, with the adapter that offers it. */
export interface AdapterUnderTest {
  adapter: ToolAdapter;
  /** The tool's name in the adapter. */
  tool: string;
}

/**
 * One adapter kind, with tools behind it that behave as the suite needs:
 * `echo` answers with the arguments it got (as JSON somewhere in its output),
 * `slow` does not answer until its call is cancelled, `failing` fails on the
 * remote side.
 */
export interface ToolAdapterSubject {
  open(role: 'echo' | 'slow' | 'failing'): Promise<AdapterUnderTest> | AdapterUnderTest;
  /** The arguments the echo tool's output shows. */
  echoed(output: string): unknown;
  /** Resolves once the slow call reached the remote side. */
  slowCallStarted(): Promise<void>;
  /** Resolves once the remote side saw the slow call end (its connection closed, its cancel arrive). */
  slowCallEnded(): Promise<void>;
  close?(): Promise<void>;
}

let calls = 0;
const context = (signal = new AbortController().signal): ToolContext => ({
  signal,
  callId: `call_contract_${++calls}`,
});

/**
 * The behaviour every ToolAdapter promises the registry and the run loop, run
 * against each adapter kind with a real remote side: the tool listed with its
 * input schema, arguments passed through, healthy when it can call, a cancel
 * that rejects the call at once and reaches the remote side, a remote failure
 * as an error result or an error with a category (never `internal`), an
 * unknown tool name refused, and a close that may be repeated.
 */
export function describeToolAdapterContract(name: string, subject: ToolAdapterSubject): void {
  describe(`ToolAdapter contract: ${name}`, () => {
    afterAll(() => subject.close?.());

    it('lists the tool with an object input schema, and is healthy', async () => {
      const { adapter, tool } = await subject.open('echo');
      const listed = (await adapter.list()).find((entry) => entry.name === tool);
      expect(listed).toBeDefined();
      expect(typeof listed?.inputSchema).toBe('object');
      expect(adapter.health()).toBe('healthy');
    });

    it('passes the arguments through and returns the output', async () => {
      const { adapter, tool } = await subject.open('echo');
      const args = { q: 'otters', n: 3, tags: ['sea', 'river'], nested: { ok: true } };
      const result = await adapter.call(tool, args, context());
      expect(result.isError ?? false).toBe(false);
      expect(subject.echoed(result.output)).toEqual(args);
    });

    it('rejects a cancelled call at once, and the cancel reaches the remote side', async () => {
      const { adapter, tool } = await subject.open('slow');
      const controller = new AbortController();
      const outcome = adapter.call(tool, { q: 'x' }, context(controller.signal)).then(
        () => 'resolved',
        (error: unknown) => error,
      );
      await subject.slowCallStarted();
      controller.abort();
      expect(await outcome).not.toBe('resolved');
      await subject.slowCallEnded();
    });

    it('reports a remote failure as an error result, or an error with a category that is not internal', async () => {
      const { adapter, tool } = await subject.open('failing');
      const outcome = await adapter.call(tool, {}, context()).then(
        (result) => ({ result }),
        (error: unknown) => ({ error: error as { category?: string } }),
      );
      if ('result' in outcome) expect(outcome.result.isError).toBe(true);
      else {
        expect(outcome.error.category).toBeDefined();
        expect(outcome.error.category).not.toBe('internal');
      }
    });

    it('refuses a tool name it does not offer, naming it (a rejection, or an error result)', async () => {
      const { adapter } = await subject.open('echo');
      const outcome = await adapter.call('no_such_tool_here', {}, context()).then(
        (result) => ({ isError: result.isError, message: result.output }),
        (error: unknown) => ({ isError: true, message: (error as Error).message }),
      );
      expect(outcome.isError).toBe(true);
      expect(outcome.message).toContain('no_such_tool_here');
    });

    it('closes, and closes again without error', async () => {
      const { adapter } = await subject.open('echo');
      await adapter.close();
      await adapter.close();
    });
  });
}
