export { capText } from './cap-text.js';
export { CellOutputError } from './cell-output.js';
export { BubblewrapSandbox, type BubblewrapSandboxOptions } from './cpython/bubblewrap-sandbox.js';
export { seccompProgram } from './cpython/seccomp-filter.js';
export { DEFAULT_OUTPUT_LIMITS, type OutputLimits } from './output-limits.js';
export { PyodideSandbox, type PyodideSandboxOptions } from './pyodide/pyodide-sandbox.js';
export { processRefillGate, RefillGate, type RefillGateOptions } from './refill-gate.js';
// The sandbox contract as spec states it (DATA_DIR is spec's SANDBOX_DATA_DIR).
export * from './sandbox.js';
export type { SessionPoolStats } from './session-pool.js';
export {
  CODE_INTERPRETER_TOOL,
  type CodeInterpreterCall,
  type CodeInterpreterRuntime,
  type CodeInterpreterToolOptions,
  createCodeInterpreterTool,
} from './tool/code-interpreter-tool.js';
export { DEFAULT_TOOL_OUTPUT_CHARS, formatSandboxResult } from './tool/format-result.js';
export { type CodeInterpreterRule, codeInterpreterRules } from './tool/scripted-rules.js';
