import { startToolServer, type ToolHandler, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll } from 'vitest';

/**
 * A tool server (`startToolServer`) for the tests of the calling `describe`:
 * started before them (and before the suites registered after this one, which
 * may name its `url`), closed after them.
 */
export function toolServerSuite<Bodies extends Record<string, unknown>>(
  handlers: {
    [Name in keyof Bodies]: ToolHandler<Bodies[Name]>;
  },
): { server: ToolServer } {
  const suite = {} as { server: ToolServer };
  beforeAll(async () => {
    suite.server = await startToolServer(handlers);
  });
  afterAll(async () => {
    await suite.server?.close();
  });
  return suite;
}
