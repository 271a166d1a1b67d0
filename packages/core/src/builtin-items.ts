import type {
  BuiltinToolItem,
  CodeInterpreterCallItem,
  FileSearchCallItem,
  OutputItem,
  ResponseEventBody,
  StartToolItem,
  ToolItemFinish,
  ToolItemHandle,
  WebSearchCallItem,
} from '@agentd/spec';

export interface BuiltinItemOptions {
  callId: string;
  newId: (prefix: BuiltinItemPrefix) => string;
  emit: (event: ResponseEventBody) => void;
  outputIndex: () => number;
}

export type BuiltinItemPrefix = 'ci' | 'ws' | 'fs';

/** Each built-in tool item kind: its id prefix, its working status and its events' prefix. */
const KINDS = {
  code_interpreter_call: { prefix: 'ci', working: 'interpreting', events: 'response.code_interpreter_call' },
  web_search_call: { prefix: 'ws', working: 'searching', events: 'response.web_search_call' },
  file_search_call: { prefix: 'fs', working: 'searching', events: 'response.file_search_call' },
} as const;

export interface BuiltinItemTracker {
  start: StartToolItem;
  /**
   * Ends what the call left open (`failed`, or `incomplete` when cancelled;
   * a suspended run leaves them open, for the worker that resumes it) and
   * ignores anything the tool emits afterwards: a tool still running after
   * its time-out cannot add events to a run that moved on.
   */
  close(how: 'failed' | 'cancelled' | 'suspended'): void;
}

/**
 * The events of built-in tool items, as OpenAI streams them: output_item.added
 * (in progress), `<kind>.in_progress`, the code (delta, done), the working
 * phase (`interpreting` / `searching`), `<kind>.completed`, output_item.done.
 */
export function trackBuiltinItems(options: BuiltinItemOptions): BuiltinItemTracker {
  const open = new Set<Handle>();
  let closed = false;

  class Handle {
    constructor(
      public item: BuiltinToolItem,
      readonly index: number,
    ) {}

    get id(): string {
      return this.item.id;
    }

    working(): void {
      if (closed || !open.has(this)) return;
      const kind = KINDS[this.item.type];
      this.item = { ...this.item, status: kind.working } as BuiltinToolItem;
      options.emit({
        type: `${kind.events}.${kind.working}`,
        item_id: this.item.id,
        output_index: this.index,
      } as ResponseEventBody);
    }

    finish(end: ToolItemFinish<BuiltinToolItem>): void {
      if (closed || !open.has(this)) return;
      this.end(end);
    }

    end(end: ToolItemFinish<BuiltinToolItem>): void {
      open.delete(this);
      this.item = { ...this.item, ...end } as BuiltinToolItem;
      if (end.status === 'completed') {
        options.emit({
          type: `${KINDS[this.item.type].events}.completed`,
          item_id: this.item.id,
          output_index: this.index,
        } as ResponseEventBody);
      }
      options.emit({ type: 'response.output_item.done', output_index: this.index, item: this.item });
    }
  }

  const start = (init: Pick<BuiltinToolItem, 'type'>) => {
    if (closed) return inert(init);
    const index = options.outputIndex();
    let item: BuiltinToolItem;
    let code = '';
    if (init.type === 'code_interpreter_call') {
      const start = init as Pick<CodeInterpreterCallItem, 'type' | 'code' | 'container_id' | 'runtime'>;
      code = start.code ?? '';
      item = {
        type: 'code_interpreter_call',
        id: options.newId('ci'),
        call_id: options.callId,
        code: '',
        container_id: start.container_id,
        ...(start.runtime === undefined ? {} : { runtime: start.runtime }),
        outputs: null,
        status: 'in_progress',
      };
    } else if (init.type === 'file_search_call') {
      const start = init as Pick<FileSearchCallItem, 'type' | 'queries'>;
      item = {
        type: 'file_search_call',
        id: options.newId('fs'),
        call_id: options.callId,
        queries: start.queries ?? [],
        results: null,
        status: 'in_progress',
      };
    } else {
      const start = init as Pick<WebSearchCallItem, 'type' | 'action' | 'tool'>;
      item = {
        type: 'web_search_call',
        id: options.newId('ws'),
        call_id: options.callId,
        action: start.action,
        ...(start.tool === undefined ? {} : { tool: start.tool }),
        status: 'in_progress',
      };
    }
    const handle = new Handle(item, index);
    open.add(handle);
    const ref = { item_id: item.id, output_index: index };
    options.emit({ type: 'response.output_item.added', output_index: index, item });
    if (item.type === 'code_interpreter_call') {
      options.emit({ type: 'response.code_interpreter_call.in_progress', ...ref });
      if (code !== '')
        options.emit({ type: 'response.code_interpreter_call_code.delta', ...ref, delta: code });
      options.emit({ type: 'response.code_interpreter_call_code.done', ...ref, code });
      handle.item = { ...item, code };
    } else {
      options.emit({ type: `${KINDS[item.type].events}.in_progress`, ...ref } as ResponseEventBody);
    }
    return handle;
  };

  return {
    start: start as unknown as StartToolItem,
    close(how) {
      for (const handle of how === 'suspended' ? [] : [...open]) {
        const status = handle.item.type === 'web_search_call' || how === 'failed' ? 'failed' : 'incomplete';
        handle.end({ status } as ToolItemFinish<BuiltinToolItem>);
      }
      closed = true;
    },
  };
}

/** A handle that does nothing, for a call that already ended. */
function inert(init: { type: string }): ToolItemHandle<BuiltinToolItem> {
  return {
    id: `${KINDS[init.type as BuiltinToolItem['type']]?.prefix ?? 'ws'}_unrecorded`,
    working: () => undefined,
    finish: () => undefined,
  };
}

/**
 * The status an item left working by a stopped process or a cancelled run
 * ends with: built-in tool items have no `incomplete` for the web, only `failed`.
 */
export function interruptedItem(item: OutputItem): OutputItem | undefined {
  if (!('status' in item)) return undefined;
  switch (item.type) {
    case 'code_interpreter_call':
      return item.status === 'in_progress' || item.status === 'interpreting'
        ? { ...item, status: 'incomplete' }
        : undefined;
    case 'web_search_call':
      return item.status === 'in_progress' || item.status === 'searching'
        ? { ...item, status: 'failed' }
        : undefined;
    case 'file_search_call':
      return item.status === 'in_progress' || item.status === 'searching'
        ? { ...item, status: 'incomplete' }
        : undefined;
    default:
      return item.status === 'in_progress' ? ({ ...item, status: 'incomplete' } as OutputItem) : undefined;
  }
}
