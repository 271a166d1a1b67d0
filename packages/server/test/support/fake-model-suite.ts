import {
  type AgentdWithFakeModel,
  type AgentdWithFakeModelOptions,
  startAgentdWithFakeModel,
} from '@agentd/test-server';
import type { FakeOpenAI } from '@agentd/testing';
import { beforeAll, beforeEach } from 'vitest';
import {
  type AgentdSuite,
  type SuiteClientOptions,
  type SuiteOptions,
  startedSuite,
} from './agentd-suite.js';

/** What a suite's tests reach its server by; set before the first test. */
export interface FakeModelSuite extends AgentdSuite<AgentdWithFakeModel> {
  fake: FakeOpenAI;
}

/**
 * An agentd whose model is the fake one, for the tests of the calling
 * `describe`: started before them, closed after them, the fake's script and
 * recorded requests cleared before each. `options` may be a function, read
 * when the server starts (after the `beforeAll` hooks registered before it,
 * e.g. a tool server's whose address it names). `client` adds to the
 * official client's options (`maxRetries: 0`, say).
 */
export function fakeModelSuite(
  options: SuiteOptions<AgentdWithFakeModelOptions>,
  client: SuiteClientOptions = {},
): FakeModelSuite {
  const suite = startedSuite(startAgentdWithFakeModel, options, client) as FakeModelSuite;
  // Registered after the start, so it runs after it.
  beforeAll(() => {
    suite.fake = suite.agentd.fake;
  });
  beforeEach(() => suite.fake.reset());
  return suite;
}
