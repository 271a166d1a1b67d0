export {
  type Agentd,
  type AgentdWithFakeModel,
  type AgentdWithFakeModelOptions,
  openaiOptions,
  startAgentd,
  startAgentdWithFakeModel,
} from './agentd-fixture.js';
export {
  type MigratedDatabase,
  type MigratedDatabaseOptions,
  openMigratedDatabase,
} from './migrated-database.js';
export {
  BACKENDS,
  type Backend,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from './test-server.js';
