import type {
  FunctionCallOutputItem,
  OutputItem,
  ResponseEventBody,
  RunTool,
  ToolReport,
  ToolResult,
  ToolScope,
} from '@agentd/spec';
import { type BuiltinItemPrefix, trackBuiltinItems } from './builtin-items.js';
import type { PendingCall } from './model-turn.js';
import { checkedEvent, type RunChecks, withheldToolOutput } from './run-checks.js';
import { RunSuspended } from './run-errors.js';
import type { RunLoopInput } from './run-loop-input.js';
import { toStorableText } from './storable-text.js';
import { deniedToolOutput, type ToolCallGate } from './tool-gate.js';
import { validateArguments } from './validate-arguments.js';

const DEFAULT_TIMEOUT_MS = 30_000;

export interface ExecutionOptions {
  tools: ReadonlyMap<string, RunTool>;
  signal: AbortSignal;
  maxOutputChars: number;
  newId: () => string;
  emit: (event: ResponseEventBody) => void;
  outputIndex: () => number;
  /** Ids of built-in tool items (code_interpreter_call, web_search_call, file_search_call). */
  newItemId?: (prefix: BuiltinItemPrefix) => string;
  scope?: ToolScope;
  /** Checks each result before it enters the context (the safety pipeline). */
  checks?: RunChecks;
  /** Decides whether each call may run (policies, limits, quotas, budgets). */
  gate?: ToolCallGate;
}

/** The execution options of a run's tool calls. */
export function executionOptions(
  input: RunLoopInput,
  tools: ReadonlyMap<string, RunTool>,
  emit: (event: ResponseEventBody) => void,
  outputIndex: () => number,
): ExecutionOptions {
  return {
    tools,
    signal: input.signal,
    maxOutputChars: input.maxToolOutputChars ?? 64_000,
    newId: () => input.newId('fco'),
    newItemId: (prefix) => input.newId(prefix),
    emit,
    outputIndex,
    ...(input.toolScope ? { scope: input.toolScope } : {}),
    ...(input.checks ? { checks: input.checks } : {}),
    ...(input.toolGate ? { gate: input.toolGate } : {}),
  };
}

type Outcome = {
  status: 'completed' | 'failed' | 'invalid_arguments' | 'cancelled' | 'denied';
  output: string;
};

/**
 * Runs one turn's tool calls in parallel. Each call's arguments are checked
 * against its schema first; a mismatch is not executed and goes back to the
 * model as an error it can correct. Results enter the context as
 * function_call_output items, in call order.
 */
export async function executeToolCalls(
  calls: PendingCall[],
  options: ExecutionOptions,
): Promise<OutputItem[]> {
  const outcomes = await Promise.all(
    calls.map(async ({ item, call }) => {
      const started = performance.now();
      options.emit({
        type: 'response.tool_call.started',
        item_id: item.id,
        call_id: call.id,
        name: call.name,
        arguments: call.arguments,
      });
      const ran = await runOne(call.name, call.arguments, call.id, options);
      // Stopped by a suspension: left in flight for the worker that resumes the run.
      if (ran.status === 'cancelled' && suspended(options.signal)) return { call, outcome: undefined };
      const outcome = await checkOutput(call.name, call.id, ran, options);
      options.emit({
        type: 'response.tool_call.completed',
        item_id: item.id,
        call_id: call.id,
        name: call.name,
        arguments: call.arguments,
        status: outcome.status,
        duration_ms: Math.round(performance.now() - started),
      });
      return { call, outcome };
    }),
  );
  const outputs = outcomes.flatMap(({ call, outcome }) => {
    if (!outcome) return [];
    const output: FunctionCallOutputItem = {
      type: 'function_call_output',
      id: options.newId(),
      call_id: call.id,
      output: storableOutput(cap(outcome.output, options.maxOutputChars)),
      status: 'completed',
    };
    const index = options.outputIndex();
    options.emit({ type: 'response.output_item.added', output_index: index, item: output });
    options.emit({ type: 'response.output_item.done', output_index: index, item: output });
    return [output];
  });
  // A suspended run records no output for the calls it stopped: the worker
  // that resumes it finds them in flight, and runs again the idempotent ones.
  if (suspended(options.signal)) throw options.signal.reason;
  return outputs;
}

/**
 * A tool's result as it may enter the context: checked (when the run has
 * checks) and, on a block, withheld with a note the model can act on.
 */
async function checkOutput(
  name: string,
  callId: string,
  outcome: Outcome,
  options: ExecutionOptions,
): Promise<Outcome> {
  const check = options.checks?.toolOutput;
  if (!check || (outcome.status !== 'completed' && outcome.status !== 'failed')) return outcome;
  const result = await check(name, outcome.output, options.signal);
  const withheld = result.action === 'block';
  const recorded = checkedEvent('tool_output', result, {
    item_id: callId,
    ...(withheld ? { withheld: outcome.output } : {}),
  });
  if (recorded) options.emit(recorded);
  if (withheld) return { ...outcome, output: withheldToolOutput(name, result.verdicts) };
  return { ...outcome, output: result.text };
}

async function runOne(
  name: string,
  rawArguments: string,
  callId: string,
  options: ExecutionOptions,
): Promise<Outcome> {
  const tool = options.tools.get(name);
  if (!tool?.execute) {
    const known = [...options.tools.keys()].join(', ') || 'none';
    return {
      status: 'invalid_arguments',
      output: `Error: there is no tool named '${name}'. Available tools: ${known}.`,
    };
  }
  const check = validateArguments(tool.definition.parameters, rawArguments);
  if (!check.ok) {
    return {
      status: 'invalid_arguments',
      output: `Error: invalid arguments for ${name}: ${check.message}. The call was not executed; correct the arguments and call it again.`,
    };
  }
  const denial = await options.gate?.({ name, arguments: check.value, callId }, options.signal);
  if (denial) {
    options.emit({
      type: 'response.tool_call.denied',
      call_id: callId,
      name,
      by: denial.by,
      reason: denial.reason,
      ...(denial.policyId === undefined ? {} : { policy_id: denial.policyId }),
    });
    return { status: 'denied', output: deniedToolOutput(name, denial) };
  }
  const timeoutMs = tool.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const call = callSignal(options.signal, timeoutMs);
  const signal = call.signal;
  const items = options.newItemId
    ? trackBuiltinItems({
        callId,
        newId: options.newItemId,
        emit: options.emit,
        outputIndex: options.outputIndex,
      })
    : undefined;
  try {
    const report = (event: ToolReport) =>
      options.emit(
        event.type === 'routed'
          ? {
              type: 'response.tool_call.routed',
              call_id: callId,
              capability: event.capability,
              tool: event.tool,
              attempt: event.attempt,
            }
          : {
              type: 'response.tool_call.fallback',
              call_id: callId,
              capability: event.capability,
              from: event.from,
              to: event.to,
              reason: event.reason,
            },
      );
    const context = {
      signal,
      callId,
      report,
      ...(options.scope ? { scope: options.scope } : {}),
      ...(items ? { startItem: items.start } : {}),
    };
    const result = await raceAbort(tool.execute(check.value, context), signal);
    const normalized: ToolResult = typeof result === 'string' ? { output: result } : result;
    return {
      status: normalized.isError ? 'failed' : 'completed',
      output: normalized.isError ? `Error: ${normalized.output}` : normalized.output,
    };
  } catch (error) {
    if (options.signal.aborted) return { status: 'cancelled', output: 'Error: the run was cancelled.' };
    if (call.timedOut())
      return { status: 'failed', output: `Error: ${name} timed out after ${timeoutMs} ms.` };
    return { status: 'failed', output: `Error: ${name} failed: ${(error as Error).message}` };
  } finally {
    call.release();
    items?.close(suspended(options.signal) ? 'suspended' : options.signal.aborted ? 'cancelled' : 'failed');
  }
}

function suspended(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof RunSuspended;
}

/**
 * The signal a call runs under: aborted by the run or by the call's time-out.
 * Released when the call settles, so that no timer or listener outlives it
 * (AbortSignal.timeout and AbortSignal.any keep theirs until they fire).
 */
function callSignal(run: AbortSignal, timeoutMs: number) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, timeoutMs);
  const forward = () => controller.abort(run.reason);
  if (run.aborted) forward();
  else run.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    release: () => {
      clearTimeout(timer);
      run.removeEventListener('abort', forward);
    },
  };
}

/** Settles when the tool does or when the signal aborts, whichever comes first: a tool that ignores its signal cannot hang the run. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The tool's own rejection (it saw the abort too) has nobody else to handle it.
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Tool output as the database can keep it, so the model, the client and the
 * log all see the same text: code points no column accepts become U+FFFD, and
 * a note says how many, so nobody mistakes them for the tool's own.
 */
function storableOutput(output: string): string {
  const { text, replaced } = toStorableText(output);
  if (replaced === 0) return text;
  return `${text}\n[agentd: ${replaced} character${replaced === 1 ? '' : 's'} that cannot be stored (NUL or unpaired surrogate) replaced by U+FFFD]`;
}

function cap(output: string, max: number): string {
  if (output.length <= max) return output;
  return `${output.slice(0, max)}\n[output truncated: ${output.length - max} of ${output.length} characters omitted]`;
}
