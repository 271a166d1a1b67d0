export {
  type ArtifactStoreSubject,
  describeArtifactStoreContract,
} from './contracts/artifact-store-contract.js';
export {
  describeEmbeddingCacheContract,
  type EmbeddingCacheSubject,
} from './contracts/embedding-cache-contract.js';
export {
  describeEmbeddingProviderContract,
  type EmbeddingProviderSubject,
} from './contracts/embedding-provider-contract.js';
export { describeHttpPostContract } from './contracts/http-post-contract.js';
export {
  collectParts,
  describeLanguageModelContract,
  type LanguageModelSubject,
  textOfParts,
} from './contracts/language-model-contract.js';
export {
  describeOpenAICompatibleModelContract,
  type HttpModelOptions,
  userRequest,
} from './contracts/openai-compatible-model-contract.js';
export {
  describeRunCancelsContract,
  type RunCancelsFixture,
} from './contracts/run-cancels-contract.js';
export {
  describeRunEventBusContract,
  type RunEventBusContractOptions,
  type RunEventBusFixture,
} from './contracts/run-event-bus-contract.js';
export {
  completedEvent,
  deltaEvent,
  deltaEvents,
  recorder,
  sequences,
  testRunId,
} from './contracts/run-events.js';
export { describeRunQueueContract, type RunQueueFixture } from './contracts/run-queue-contract.js';
export { type ContractSql, createRunRows, type LeaseRow, type RunRows } from './contracts/run-rows.js';
export {
  describeSafetyPhaseContract,
  expectWellFormedVerdict,
  type SafetyPhaseFailures,
  type SafetyPhaseSubject,
} from './contracts/safety-phase-contract.js';
export { describeSandboxContract, type SandboxSubject } from './contracts/sandbox-contract.js';
export {
  describeSearchBackendContract,
  type SearchApiRequest,
  type SearchBackendSubject,
} from './contracts/search-backend-contract.js';
export {
  type AdapterUnderTest,
  describeToolAdapterContract,
  type ToolAdapterSubject,
} from './contracts/tool-adapter-contract.js';
export { startFakeOpenAI } from './fake-openai/fake-openai-server.js';
export type {
  FakeHandler,
  FakeOpenAI,
  FakeOpenAIOptions,
  FakeRequest,
  FakeToolCall,
  FakeTurn,
} from './fake-openai/types.js';
export { firstToolCall } from './fixtures/first-tool-call.js';
export {
  createTestResolver,
  type TestResolvedAddress,
  type TestResolver,
} from './fixtures/test-resolver.js';
export { ApiClient, type ApiResponse, type RequestOptions } from './http-client.js';
export { type OidcLoginProvider, type OidcUser, startOidcLoginProvider } from './oidc-login-provider.js';
export { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';
export { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from './postgres.js';
export { type PostgresTestServer, startPostgresTestServer } from './postgres-server.js';
export { pingRedis, requireTestRedis, TEST_REDIS_URL, testRedisPrefix } from './redis.js';
export { type RedisTestServer, startRedisTestServer } from './redis-server.js';
export { type S3TestServer, startS3TestServer } from './s3-test-server.js';
export { collectSse, readSse, type SseEvent } from './sse-client.js';
export { fakeOpenAISuite } from './suites/fake-openai-suite.js';
export { type Closable, type CloseLater, suiteFixture } from './suites/suite-fixture.js';
export { startToolServer, type ToolCallRecord, type ToolHandler, type ToolServer } from './tool-server.js';
