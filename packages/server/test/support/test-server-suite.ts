import { startTestServer, type TestServer, type TestServerOptions } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll } from 'vitest';

/** What a suite's tests reach its server by; set before the first test. */
export interface TestServerSuite {
  server: TestServer;
  /** The admin's JSON client. */
  api: ApiClient;
}

/**
 * A test server (the scripted model) for the tests of the calling `describe`:
 * started before them, closed after them.
 */
export function testServerSuite(options: TestServerOptions): TestServerSuite {
  const suite = {} as TestServerSuite;
  beforeAll(async () => {
    suite.server = await startTestServer(options);
    suite.api = new ApiClient(suite.server.url, suite.server.adminKey);
  });
  afterAll(async () => {
    await suite.server?.close();
  });
  return suite;
}
