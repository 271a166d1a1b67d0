// The sandbox contract is in spec; the two implementations are beside this file.
export {
  SANDBOX_DATA_DIR as DATA_DIR,
  type Sandbox,
  type SandboxError,
  type SandboxFile,
  type SandboxImage,
  type SandboxInputFile,
  type SandboxRequest,
  type SandboxResult,
  type SandboxStatus,
} from '@agentd/spec';
