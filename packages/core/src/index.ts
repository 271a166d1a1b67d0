export type {
  RunTool,
  StartToolItem,
  ToolContext,
  ToolItemFinish,
  ToolItemHandle,
  ToolReport,
  ToolResult,
  ToolScope,
} from '@agentd/spec';
export { applyEvent } from './apply-event.js';
export { type BuiltinItemTracker, interruptedItem, trackBuiltinItems } from './builtin-items.js';
export { ContextLengthExceeded, estimateTokens, fitToBudget, itemsToMessages } from './context-window.js';
export { fileCitationSources, findFileCitations } from './file-citations.js';
export { guardModel, type ModelGuardOptions } from './guard-model.js';
export { INTERRUPTED_CALL_OUTPUT } from './resume-run.js';
export {
  REFUSED_INPUT,
  type RunChecks,
  type StreamCheck,
  type StreamCheckStep,
  WITHHELD_ANSWER,
} from './run-checks.js';
export { RunCancelled, RunSuspended } from './run-errors.js';
export type { RunEventSink } from './run-event-sink.js';
export { runLoop } from './run-loop.js';
export type { RunLoopInput } from './run-loop-input.js';
export { canTransition, isTerminal, transition } from './run-status.js';
export {
  isStorableText,
  REPLACEMENT_CHARACTER,
  toStorableParam,
  toStorableText,
  toStorableValue,
} from './storable-text.js';
export {
  checkOutput,
  formatProblem,
  type OutputCheck,
  type OutputProblem,
  schemaProblems,
} from './structured-output.js';
export { DeltaCoalescer } from './text-coalescer.js';
export {
  allGates,
  deniedToolOutput,
  type GatedToolCall,
  type ToolCallDenial,
  type ToolCallDenialKind,
  type ToolCallGate,
} from './tool-gate.js';
export { type CitationSource, citationSources, findUrlCitations } from './url-citations.js';
export { validateArguments } from './validate-arguments.js';
