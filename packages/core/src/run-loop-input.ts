import type {
  IncompleteDetails,
  Item,
  LanguageModel,
  ModelSettings,
  ModelToolChoice,
  ResponseObject,
  ResponseUsage,
  RunTool,
  TextFormat,
  ToolScope,
} from '@agentd/spec';
import type { BuiltinItemPrefix } from './builtin-items.js';
import type { RunChecks } from './run-checks.js';
import type { RunEventSink } from './run-event-sink.js';
import type { ToolCallGate } from './tool-gate.js';

/** What one run of the loop is given. */
export interface RunLoopInput {
  /** The response as stored at creation (status queued). */
  response: ResponseObject;
  model: LanguageModel;
  settings: ModelSettings;
  toolChoice?: ModelToolChoice;
  /** System instructions: always first, never trimmed, never overridable by user content. */
  instructions: string | null;
  /** Earlier turns and this turn's input, oldest first. */
  history: readonly Item[];
  tools: readonly RunTool[];
  /** Handed to every tool call: who the run is for. */
  toolScope?: ToolScope;
  maxSteps: number;
  maxTotalTokens: number | null;
  /** The answer's required format (structured outputs), and how many times a mismatch goes back to the model. */
  textFormat?: TextFormat;
  textFormatRetries?: number;
  /** `disabled`: a prompt over `contextTokens` fails the run instead of being trimmed. */
  truncation?: 'auto' | 'disabled';
  /** Token budget for the prompt (the model's context window minus room for the answer). */
  contextTokens: number;
  signal: AbortSignal;
  sink: RunEventSink;
  /** BuiltinItemPrefix: built-in tool items (code_interpreter_call, web_search_call, file_search_call). */
  newId: (prefix: 'msg' | 'fc' | 'fco' | 'rs' | 'apr' | BuiltinItemPrefix) => string;
  /** How long an approval request stays answerable; later answers count as denials. */
  approvalTtlMs?: number;
  /** Model turns already taken, when resuming a run that was interrupted. */
  stepsTaken?: number;
  /** Delta frame interval; about 20 ms. */
  coalesceMs?: number;
  /** Safety checks on the input, tool results and streamed output (the safety pipeline plugs in here). */
  checks?: RunChecks;
  /** Decides, before each tool call runs, whether it may (policies, rate limits, quotas, budgets). */
  toolGate?: ToolCallGate;
  /**
   * Asked before each model call with the run's usage so far: an answer ends
   * the run `incomplete` with those details instead of calling the model
   * (the control plane's token and cost budgets plug in here).
   */
  beforeModelCall?: (usage: ResponseUsage) => Promise<IncompleteDetails | undefined>;
  /** Largest tool output handed to the model, in characters. */
  maxToolOutputChars?: number;
  now?: () => number;
}
