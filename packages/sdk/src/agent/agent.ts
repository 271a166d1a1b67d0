import type { ApprovalRequestItem, FunctionCallItem, ResponseObject } from '@agentd/spec';
import type { Agentd } from '../client.js';
import { NotFoundError } from '../core/errors.js';
import type { CreateResponseParams, ToolReference } from '../types.js';
import type { AgentEvent } from './agent-events.js';
import { outputText } from './output-text.js';
import { type FunctionTool, toolDefinition } from './tool.js';

export type ApprovalAnswer = boolean | { approve: boolean; reason?: string };

export interface AgentOptions {
  client: Agentd;
  /** A stored agent (name or id): its instructions, model and tools, plus the `tools` given here. */
  agent?: string;
  instructions?: string;
  model?: string;
  /** Client-side tools (from `tool()`), run here; names or definitions of server-side ones, run there. */
  tools?: (FunctionTool | ToolReference)[];
  /** Answers the server's approval requests; without it a run that asks stops there. */
  onApproval?: (request: ApprovalRequestItem) => ApprovalAnswer | Promise<ApprovalAnswer>;
  /** Round trips for client-side tools and approvals in one turn (default 10). */
  maxRoundTrips?: number;
  /** More request fields (max_steps, metadata, user, ...). */
  request?: Partial<CreateResponseParams>;
}

export interface TurnOptions {
  signal?: AbortSignal;
  /** Aborting cancels the run on the server (default true). */
  cancelOnAbort?: boolean;
}

/** A turn in progress: its events, then its last response and answer. */
export interface AgentStream extends AsyncIterable<AgentEvent> {
  /** The last response of the turn; reads the events not read yet. */
  finalResponse(): Promise<ResponseObject>;
  /** The answer's text. */
  text(): Promise<string>;
}

/**
 * An agent in the seed's shape: `await agent.chat('How tall is Mount Fuji?')`.
 * Each turn continues the agent's thread (previous_response_id); client-side
 * tools run in this process and their outputs continue the run.
 */
export class Agent {
  /** The last response of the thread; `reset()` starts a new thread. */
  lastResponseId: string | undefined;
  private readonly local: Map<string, FunctionTool>;
  private storedTools: Promise<ToolReference[]> | undefined;

  constructor(private readonly options: AgentOptions) {
    this.local = new Map((options.tools ?? []).filter(isFunctionTool).map((fn) => [fn.name, fn] as const));
  }

  /** Sends `input` and returns the answer's text. */
  chat(input: CreateResponseParams['input'], options: TurnOptions = {}): Promise<string> {
    return this.stream(input, options).text();
  }

  /** Sends `input` and yields the turn's events as they happen. */
  stream(input: CreateResponseParams['input'], options: TurnOptions = {}): AgentStream {
    let final: ResponseObject | undefined;
    let consumed = false;
    const events = this.turn(input, options, (response) => {
      final = response;
    });
    const finalResponse = async () => {
      if (!consumed) for await (const _ of stream);
      if (!final) throw new Error('The turn ended without a response');
      return final;
    };
    const stream: AgentStream = {
      [Symbol.asyncIterator]() {
        if (consumed) throw new Error('An AgentStream can be read only once');
        consumed = true;
        return events;
      },
      finalResponse,
      text: async () => outputText(await finalResponse()),
    };
    return stream;
  }

  /** Forgets the thread: the next turn starts a new one. */
  reset(): void {
    this.lastResponseId = undefined;
  }

  private async *turn(
    firstInput: CreateResponseParams['input'],
    options: TurnOptions,
    done: (response: ResponseObject) => void,
  ): AsyncGenerator<AgentEvent> {
    const { client } = this.options;
    let input = firstInput;
    const rounds = this.options.maxRoundTrips ?? 10;
    for (let round = 0; ; round++) {
      const params = await this.params(input);
      const stream = client.responses.stream(params, options);
      yield* stream;
      const response = await stream.finalResponse();
      this.lastResponseId = response.id;
      done(response);
      if (response.status !== 'completed' || round >= rounds) return;
      const answers: unknown[] = [];
      for (const call of this.pendingCalls(response)) {
        const fn = this.local.get(call.name) as FunctionTool;
        const context = { callId: call.call_id, responseId: response.id, signal: options.signal };
        const outcome = await fn.invoke(call.arguments, context);
        answers.push({ type: 'function_call_output', call_id: call.call_id, output: outcome.output });
        yield {
          type: 'client_tool_call.completed',
          response_id: response.id,
          call_id: call.call_id,
          name: call.name,
          arguments: call.arguments,
          ...outcome,
        };
      }
      for (const request of pendingApprovals(response)) {
        if (!this.options.onApproval) break;
        const answer = await this.options.onApproval(request);
        const { approve, reason } =
          typeof answer === 'boolean' ? { approve: answer, reason: undefined } : answer;
        answers.push({
          type: 'approval_response',
          approval_request_id: request.id,
          approve,
          ...(reason === undefined ? {} : { reason }),
        });
        yield { type: 'approval_request.answered', response_id: response.id, request, approve, reason };
      }
      if (answers.length === 0) return;
      input = answers as CreateResponseParams['input'];
    }
  }

  /** The function calls of this process's tools that the response left unanswered. */
  private pendingCalls(response: ResponseObject): FunctionCallItem[] {
    const answered = new Set(
      response.output.flatMap((item) => (item.type === 'function_call_output' ? [item.call_id] : [])),
    );
    return response.output.filter(
      (item): item is FunctionCallItem =>
        item.type === 'function_call' && this.local.has(item.name) && !answered.has(item.call_id),
    );
  }

  private async params(input: CreateResponseParams['input']): Promise<CreateResponseParams> {
    const { agent, instructions, model, request } = this.options;
    const tools = await this.tools();
    return {
      ...request,
      input,
      ...(agent === undefined ? {} : { agent }),
      ...(instructions === undefined ? {} : { instructions }),
      ...(model === undefined ? {} : { model }),
      ...(tools === undefined ? {} : { tools }),
      ...(this.lastResponseId === undefined ? {} : { previous_response_id: this.lastResponseId }),
    };
  }

  /** The request's tools; undefined leaves a stored agent's own. A request's tools replace the agent's, so they are merged here. */
  private async tools(): Promise<ToolReference[] | undefined> {
    const given = this.options.tools;
    if (given === undefined) return undefined;
    const own = given.map((entry) =>
      isFunctionTool(entry) ? toolDefinition(entry) : entry,
    ) as ToolReference[];
    if (this.options.agent === undefined) return own;
    this.storedTools ??= this.storedAgentTools(this.options.agent).catch((error: unknown) => {
      this.storedTools = undefined; // the next turn asks again
      throw error;
    });
    return [...(await this.storedTools), ...own];
  }

  private async storedAgentTools(idOrName: string): Promise<ToolReference[]> {
    const { agents } = this.options.client;
    const byId = idOrName.startsWith('agent_')
      ? await agents.retrieve(idOrName).catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        })
      : undefined;
    const stored = byId ?? (await agents.findByName(idOrName));
    if (!stored)
      throw new NotFoundError(
        404,
        {
          type: 'not_found_error',
          code: 'agent_not_found',
          message: `No agent named '${idOrName}'.`,
          param: 'agent',
        },
        null,
      );
    return stored.tools;
  }
}

function isFunctionTool(entry: FunctionTool | ToolReference): entry is FunctionTool {
  return typeof entry === 'object' && 'invoke' in entry && typeof entry.invoke === 'function';
}

function pendingApprovals(response: ResponseObject): ApprovalRequestItem[] {
  const answered = new Set(
    response.output.flatMap((item) => (item.type === 'approval_response' ? [item.approval_request_id] : [])),
  );
  return response.output.filter(
    (item): item is ApprovalRequestItem => item.type === 'approval_request' && !answered.has(item.id),
  );
}
