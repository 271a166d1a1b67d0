import { memo } from 'react';
import type {
  ApprovalRequestItem,
  CodeInterpreterCallItem,
  FileSearchCallItem,
  FunctionCallItem,
  FunctionCallOutputItem,
  Item,
  OutputItem,
  ReasoningItem,
  WebSearchCallItem,
} from '../api/types.js';
import { FileLink } from './file-link.js';
import { MessageView } from './message-view.js';
import type { ToolActivity } from './run-view.js';
import { JsonBlock, Step, type StepState } from './step.js';
import type { ThreadContext } from './thread-context.js';

type AnyItem = Item | OutputItem;

/** Everything one run (or one stretch of history) did, in order: each step collapsible, the answer in full. */
export const StepList = memo(function StepList({
  items,
  context,
  tools = {},
  live = false,
}: {
  items: readonly AnyItem[];
  context: ThreadContext;
  tools?: Record<string, ToolActivity>;
  live?: boolean;
}) {
  const { answers } = context;
  // This list's own results are read here, so that a live run's show as they come.
  const outputs = new Map(context.outputs);
  for (const item of items) if (item.type === 'function_call_output') outputs.set(item.call_id, item);
  // A call shown by a richer item (a built-in tool's, or its approval request) is not shown twice.
  const shownByBuiltinItem = new Set<string>();
  for (const item of items) {
    if (item.type === 'approval_request') shownByBuiltinItem.add(item.call_id);
    if (
      (item.type === 'code_interpreter_call' ||
        item.type === 'web_search_call' ||
        item.type === 'file_search_call') &&
      item.call_id
    )
      shownByBuiltinItem.add(item.call_id);
  }
  return (
    <>
      {items.map((item, index) => {
        if (!item || ('superseded' in item && item.superseded)) return null;
        const key = item.id ?? `i${index}`;
        switch (item.type) {
          case 'message':
            return <MessageView key={key} item={item} streaming={live && item.status === 'in_progress'} />;
          case 'reasoning':
            return <ReasoningStep key={key} item={item} />;
          case 'function_call':
            if (shownByBuiltinItem.has(item.call_id)) return null;
            return (
              <FunctionStep
                key={key}
                call={item}
                output={outputs.get(item.call_id)}
                activity={tools[item.call_id]}
                live={live}
              />
            );
          case 'function_call_output':
            return null;
          case 'approval_request':
            return (
              <ApprovalStep
                key={key}
                request={item}
                answer={answers.get(item.id)}
                output={outputs.get(item.call_id)}
              />
            );
          case 'approval_response':
            return null;
          case 'code_interpreter_call':
            return <CodeStep key={key} item={item} />;
          case 'web_search_call':
            return <WebStep key={key} item={item} />;
          case 'file_search_call':
            return <FileSearchStep key={key} item={item} />;
          default:
            return null;
        }
      })}
    </>
  );
});

function ReasoningStep({ item }: { item: ReasoningItem }) {
  const text = [...item.summary.map((part) => part.text), ...(item.content ?? []).map((part) => part.text)]
    .filter(Boolean)
    .join('\n\n');
  const state: StepState = item.status === 'in_progress' ? 'running' : 'done';
  return (
    <Step kind="Thinking" title={text ? firstLine(text) : 'Thinking…'} state={state} testId="step-reasoning">
      <p className="reasoning">{text}</p>
    </Step>
  );
}

const firstLine = (text: string) => {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
};

function toolState(activity: ToolActivity | undefined, done: boolean): StepState {
  switch (activity?.state) {
    case 'running':
      return 'running';
    case 'denied':
      return 'denied';
    case 'cancelled':
      return 'cancelled';
    case 'failed':
    case 'invalid_arguments':
      return 'failed';
    case 'completed':
      return 'done';
    default:
      return done ? 'done' : 'running';
  }
}

function FunctionStep({
  call,
  output,
  activity,
  live,
}: {
  call: FunctionCallItem;
  output: FunctionCallOutputItem | undefined;
  activity: ToolActivity | undefined;
  live: boolean;
}) {
  // A call without a result in a run that ended was cut short.
  const state =
    !live && !output && (!activity || activity.state === 'running')
      ? 'cancelled'
      : toolState(activity, output !== undefined);
  return (
    <Step kind="Tool" title={call.name} state={state} testId="step-tool">
      <JsonBlock label="Arguments" text={call.arguments} />
      {output ? <JsonBlock label="Result" text={output.output} /> : null}
      {activity?.reason ? <p className="denied-reason">Denied: {activity.reason}</p> : null}
      {activity?.durationMs !== undefined ? <p className="muted">{activity.durationMs} ms</p> : null}
    </Step>
  );
}

function ApprovalStep({
  request,
  answer,
  output,
}: {
  request: ApprovalRequestItem;
  answer: { approve: boolean; reason: string } | undefined;
  output: FunctionCallOutputItem | undefined;
}) {
  const state: StepState = !answer ? 'waiting' : !answer.approve ? 'denied' : output ? 'done' : 'running';
  return (
    <Step kind="Tool" title={`${request.name} (needs approval)`} state={state} testId="step-approval">
      <JsonBlock label="Arguments" text={request.arguments} />
      {answer ? (
        <p className={answer.approve ? 'approved' : 'denied'}>
          {answer.approve ? 'Approved.' : `Denied${answer.reason ? `: ${answer.reason}` : '.'}`}
        </p>
      ) : null}
      {output && answer?.approve ? <JsonBlock label="Result" text={output.output} /> : null}
    </Step>
  );
}

function CodeStep({ item }: { item: CodeInterpreterCallItem }) {
  const state: StepState =
    item.status === 'completed'
      ? 'done'
      : item.status === 'failed' || item.status === 'incomplete'
        ? 'failed'
        : 'running';
  return (
    <Step
      kind="Code"
      title={item.runtime ? `Python (${item.runtime})` : 'Python'}
      state={state}
      open
      testId="step-code"
    >
      {item.code ? <JsonBlock label="Code" text={item.code} raw /> : null}
      {(item.outputs ?? []).map((output, index) => {
        const key = `${item.id}-${index}`;
        if (output.type === 'logs') return <JsonBlock key={key} label="Output" text={output.logs} raw />;
        if (output.type === 'image')
          return (
            <img key={key} className="tool-image" src={output.url} alt={`Output ${index + 1} of the code`} />
          );
        return (
          <p key={key}>
            <FileLink
              fileId={output.file_id}
              url={output.url}
              name={output.path.split('/').pop() ?? output.path}
            />{' '}
            <span className="muted">({output.bytes} bytes)</span>
          </p>
        );
      })}
    </Step>
  );
}

function WebStep({ item }: { item: WebSearchCallItem }) {
  const { action } = item;
  const title =
    action.type === 'search'
      ? `Searched “${action.query}”`
      : action.type === 'find_in_page'
        ? `Looked for “${action.pattern}”`
        : `${action.type === 'screenshot' ? 'Screenshot of' : 'Opened'} ${action.title ?? action.url ?? 'a page'}`;
  const state: StepState =
    item.status === 'completed' ? 'done' : item.status === 'failed' ? 'failed' : 'running';
  return (
    <Step kind="Web" title={title} state={state} testId="step-web">
      {action.type === 'search' && action.sources?.length ? (
        <ul className="sources">
          {action.sources.map((source) => (
            <li key={source.url}>
              <a href={source.url} target="_blank" rel="noopener noreferrer">
                {source.title ?? source.url}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {(item.outputs ?? []).map((image) => (
        <img key={image.file_id} className="tool-image" src={image.url} alt="Screenshot of the page" />
      ))}
    </Step>
  );
}

function FileSearchStep({ item }: { item: FileSearchCallItem }) {
  const state: StepState =
    item.status === 'completed'
      ? 'done'
      : item.status === 'in_progress' || item.status === 'searching'
        ? 'running'
        : 'failed';
  return (
    <Step
      kind="Files"
      title={`Searched files for “${item.queries.join('”, “')}”`}
      state={state}
      testId="step-file-search"
    >
      <ol className="sources">
        {(item.results ?? []).map((result) => (
          <li key={`${result.file_id}-${result.chunk_index ?? result.score}`}>
            <FileLink fileId={result.file_id} name={result.filename} />{' '}
            <span className="muted">score {result.score.toFixed(2)}</span>
            <blockquote>{result.text.slice(0, 400)}</blockquote>
          </li>
        ))}
      </ol>
    </Step>
  );
}
