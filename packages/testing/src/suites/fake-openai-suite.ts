import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeOpenAI } from '../fake-openai/fake-openai-server.js';
import type { FakeOpenAI, FakeOpenAIOptions } from '../fake-openai/types.js';

/**
 * The fake OpenAI-compatible server for the tests of the calling `describe`
 * (or file): started before them, closed after them, its script and recorded
 * requests cleared before each. `suite.fake` is set from the first test on.
 */
export function fakeOpenAISuite(options?: FakeOpenAIOptions): { fake: FakeOpenAI } {
  const suite = {} as { fake: FakeOpenAI };
  beforeAll(async () => {
    suite.fake = await startFakeOpenAI(options);
  });
  afterAll(async () => {
    await suite.fake?.close();
  });
  beforeEach(() => suite.fake.reset());
  return suite;
}
