export {
  type Agentd,
  type AgentdWithFakeModel,
  type AgentdWithFakeModelOptions,
  openaiOptions,
  startAgentd,
  startAgentdWithFakeModel,
} from './agentd-fixture.js';
export { startFakeOpenAI } from './fake-openai/fake-openai-server.js';
export type {
  FakeHandler,
  FakeOpenAI,
  FakeOpenAIOptions,
  FakeRequest,
  FakeToolCall,
  FakeTurn,
} from './fake-openai/types.js';
export { ApiClient, type ApiResponse, type RequestOptions } from './http-client.js';
export { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from './postgres.js';
export { type S3TestServer, startS3TestServer } from './s3-test-server.js';
export { collectSse, readSse, type SseEvent } from './sse-client.js';
export {
  BACKENDS,
  type Backend,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from './test-server.js';
export { startToolServer, type ToolCallRecord, type ToolHandler, type ToolServer } from './tool-server.js';
