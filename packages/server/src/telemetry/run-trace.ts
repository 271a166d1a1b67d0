import type { RunTool } from '@agentd/core';
import type {
  PreparedRun,
  RunExecutionEnd,
  RunObserver,
  RunObserverFactory,
  StoredRun,
} from '@agentd/runtime';
import type { LanguageModel, OutputItem, ResponseEventBody } from '@agentd/spec';
import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { RunSpec } from '../responses/run-spec.js';
import { boundIterable } from './bound-iterable.js';
import { Agentd, finishReason, GenAi } from './gen-ai.js';
import { withRequestSpan } from './request-span.js';
import { contextFromCarrier, isSampledOut } from './trace-carrier.js';

interface Open {
  span: Span;
  context: Context;
}

/**
 * The spans of runs, derived from their events (the GenAI conventions): one
 * `invoke_agent` per execution of a run, under the trace of the request that
 * created it; a `chat` per model call and an `execute_tool` per tool call
 * under it; an `apply_guardrail` per recorded safety decision. The model's
 * and tools' own work (HTTP requests, queries) runs in their span's context;
 * the chat span, a CLIENT span, is its model request's HTTP span as well.
 */
export function runTracing(tracer: Tracer, contents: boolean): RunObserverFactory<RunSpec> {
  return (run) => {
    const parent = contextFromCarrier(run.runSpec.trace);
    // A run of a sampled-out request costs next to nothing: no spans, no wrapped model or tools;
    // it only runs in the request's context, so that its requests pass the decision on.
    if (isSampledOut(parent)) return sampledOut(parent);
    return new RunTrace(tracer, run, contents, parent);
  };
}

class RunTrace implements RunObserver {
  private readonly root: Open;
  private chat: (Open & { output: OutputItem[] }) | undefined;
  private readonly tools = new Map<string, Open>();
  private provider: string | undefined;

  constructor(
    private readonly tracer: Tracer,
    private readonly run: StoredRun<RunSpec>,
    private readonly contents: boolean,
    parent: Context,
  ) {
    const { agent, conversation, instructions } = run.snapshot;
    const attributes: Attributes = {
      [GenAi.operation]: 'invoke_agent',
      [GenAi.requestModel]: run.snapshot.model,
      [GenAi.responseId]: run.id,
      [Agentd.tenant]: run.tenantId,
      ...(agent ? { [GenAi.agentId]: agent.id, [GenAi.agentName]: agent.name } : {}),
      ...(conversation ? { [GenAi.conversationId]: conversation.id } : {}),
      ...(contents
        ? {
            [GenAi.inputMessages]: JSON.stringify(run.input),
            ...(instructions ? { [GenAi.systemInstructions]: instructions } : {}),
          }
        : {}),
    };
    const name = agent ? `invoke_agent ${agent.name}` : 'invoke_agent';
    const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent);
    this.root = { span, context: trace.setSpan(parent, span) };
  }

  within<T>(execute: () => Promise<T>): Promise<T> {
    return context.with(this.root.context, execute);
  }

  prepared(run: PreparedRun): PreparedRun {
    this.provider = run.model.provider;
    this.root.span.setAttributes({ [GenAi.provider]: this.provider, [GenAi.system]: this.provider });
    return {
      ...run,
      model: this.tracedModel(run.model),
      tools: run.tools.map((tool) => this.tracedTool(tool)),
    };
  }

  event(event: ResponseEventBody): void {
    switch (event.type) {
      case 'response.model_call.started':
        this.chatStarted(event.model, event.step);
        break;
      case 'response.model_call.completed':
        this.chatCompleted(event.finish_reason, event.usage);
        break;
      case 'response.output_item.done':
        this.itemDone(event.item);
        break;
      case 'response.tool_call.started':
        this.toolStarted(event.call_id, event.name, event.arguments);
        break;
      case 'response.tool_call.denied':
        this.tools.get(event.call_id)?.span.setAttribute(Agentd.deniedBy, event.by);
        break;
      case 'response.tool_call.completed':
        this.toolCompleted(event.call_id, event.status);
        break;
      case 'response.safety.checked':
        this.guardrail(event);
        break;
    }
  }

  ended(end: RunExecutionEnd): void {
    const failed = 'error' in end || end.final.status === 'failed';
    const why = 'error' in end ? errorName(end.error) : end.final.error?.code;
    for (const open of [...this.tools.values(), ...(this.chat ? [this.chat] : [])]) {
      if (failed) open.span.setStatus({ code: SpanStatusCode.ERROR, message: why ?? 'run failed' });
      open.span.end();
    }
    this.tools.clear();
    this.chat = undefined;
    const { span } = this.root;
    if ('final' in end) {
      span.setAttribute(Agentd.runStatus, end.final.status);
      const usage = end.final.usage;
      if (usage) {
        span.setAttributes({
          [GenAi.inputTokens]: usage.input_tokens,
          [GenAi.outputTokens]: usage.output_tokens,
        });
      }
    }
    if (failed) {
      span.setAttribute(GenAi.errorType, why ?? 'run_failed');
      span.setStatus({ code: SpanStatusCode.ERROR, ...(why ? { message: why } : {}) });
    }
    span.end();
  }

  private chatStarted(model: string, step: number): void {
    this.chat?.span.end();
    const attributes: Attributes = {
      [GenAi.operation]: 'chat',
      [GenAi.requestModel]: model,
      [Agentd.step]: step,
      ...(this.provider ? { [GenAi.provider]: this.provider, [GenAi.system]: this.provider } : {}),
      ...numeric(GenAi.requestTemperature, this.run.snapshot.temperature),
      ...numeric(GenAi.requestTopP, this.run.snapshot.top_p),
      ...numeric(GenAi.requestMaxTokens, this.run.snapshot.max_output_tokens),
    };
    const span = this.tracer.startSpan(
      `chat ${model}`,
      { kind: SpanKind.CLIENT, attributes },
      this.root.context,
    );
    // The chat span is the model request's HTTP client span too: its requests get none of their own.
    const ctx = withRequestSpan(trace.setSpan(this.root.context, span), span);
    this.chat = { span, context: ctx, output: [] };
  }

  private chatCompleted(reason: string, usage: { input_tokens: number; output_tokens: number }): void {
    const chat = this.chat;
    if (!chat) return;
    chat.span.setAttributes({
      [GenAi.finishReasons]: [finishReason(reason)],
      [GenAi.inputTokens]: usage.input_tokens,
      [GenAi.outputTokens]: usage.output_tokens,
    });
    if (this.contents && chat.output.length > 0) {
      chat.span.setAttribute(GenAi.outputMessages, JSON.stringify(chat.output));
    }
    chat.span.end();
    this.chat = undefined;
  }

  private itemDone(item: OutputItem): void {
    if (!this.contents) return;
    if (item.type === 'message' || item.type === 'function_call') this.chat?.output.push(item);
  }

  private toolStarted(callId: string, name: string, args: string): void {
    const attributes: Attributes = {
      [GenAi.operation]: 'execute_tool',
      [GenAi.toolName]: name,
      [GenAi.toolCallId]: callId,
      [GenAi.toolType]: 'function',
      ...(this.contents ? { [GenAi.toolArguments]: args } : {}),
    };
    const span = this.tracer.startSpan(
      `execute_tool ${name}`,
      { kind: SpanKind.INTERNAL, attributes },
      this.root.context,
    );
    this.tools.set(callId, { span, context: trace.setSpan(this.root.context, span) });
  }

  private toolCompleted(callId: string, status: string): void {
    const open = this.tools.get(callId);
    if (!open) return;
    this.tools.delete(callId);
    open.span.setAttribute(Agentd.toolStatus, status);
    if (status !== 'completed') {
      open.span.setAttribute(GenAi.errorType, status);
      open.span.setStatus({ code: SpanStatusCode.ERROR, message: status });
    }
    open.span.end();
  }

  /** A safety decision, as a span as long as its phases took, under what it was about. */
  private guardrail(event: Extract<ResponseEventBody, { type: 'response.safety.checked' }>): void {
    const parent =
      (event.item_id ? this.tools.get(event.item_id)?.context : undefined) ??
      this.chat?.context ??
      this.root.context;
    const took = event.verdicts.reduce((sum, verdict) => sum + verdict.durationMs, 0);
    const now = Date.now();
    const span = this.tracer.startSpan(
      `apply_guardrail ${event.surface}`,
      {
        kind: SpanKind.INTERNAL,
        startTime: now - took,
        attributes: {
          [GenAi.operation]: 'apply_guardrail',
          [Agentd.safetySurface]: event.surface,
          [Agentd.safetyAction]: event.action,
          [Agentd.safetyPhases]: event.verdicts.map((verdict) => verdict.phase),
          [Agentd.safetyCategories]: [...new Set(event.verdicts.flatMap((verdict) => verdict.categories))],
        },
      },
      parent,
    );
    span.end(now);
  }

  /** The model, each of whose streams runs in the context of the chat span open when it starts. */
  private tracedModel(model: LanguageModel): LanguageModel {
    return {
      provider: model.provider,
      stream: (request, signal) => {
        const chat = this.chat;
        if (!chat) return model.stream(request, signal);
        if (this.contents) chat.span.setAttribute(GenAi.inputMessages, JSON.stringify(request.messages));
        return boundIterable(chat.context, model.stream(request, signal));
      },
    };
  }

  /** The tool, whose calls run in the context of their execute_tool span. */
  private tracedTool(tool: RunTool): RunTool {
    const execute = tool.execute;
    if (!execute) return tool;
    return {
      ...tool,
      execute: (args, ctx) => {
        const open = this.tools.get(ctx.callId);
        if (!open) return execute(args, ctx);
        const result = context.with(open.context, () => execute(args, ctx));
        if (!this.contents) return result;
        return result.then((value) => {
          open.span.setAttribute(GenAi.toolResult, typeof value === 'string' ? value : value.output);
          return value;
        });
      },
    };
  }
}

function sampledOut(parent: Context): RunObserver {
  return {
    within: (execute) => context.with(parent, execute),
    prepared: (run) => run,
    event: () => {},
    ended: () => {},
  };
}

function numeric(key: string, value: number | null | undefined): Attributes {
  return typeof value === 'number' ? { [key]: value } : {};
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}
