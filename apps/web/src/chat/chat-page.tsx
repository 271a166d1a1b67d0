import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { messageOf, statusOf } from '../api/errors.js';
import { conversationItems, runUserText, toolNames, vectorStoreReady } from '../api/extras.js';
import { agentd } from '../api/sdk.js';
import { resumeRun, streamRun } from '../api/streams.js';
import type { Agent, Conversation, FileObject, Item, ToolReference } from '../api/types.js';
import { ApprovalCard, pendingApprovals } from './approval-card.js';
import { Composer } from './composer.js';
import { loadRun } from './run-store.js';
import { emptyRun, isTerminal } from './run-view.js';
import { Thread } from './thread.js';
import { useRuns } from './use-runs.js';

/** The conversation's metadata key naming its live run, so another device can pick the stream up. */
const LIVE_KEY = 'live_response';

/** Notes a started run on its conversation (best effort: without it, only this tab can resume). */
function markLive(conversationId: string, responseId: string): void {
  const api = agentd();
  api.conversations
    .retrieve(conversationId)
    .then((conversation) =>
      api.conversations.update(conversationId, {
        metadata: { ...conversation.metadata, [LIVE_KEY]: responseId },
      }),
    )
    .catch(() => undefined);
}

/**
 * One conversation (or a new one when `conversationId` is null): its thread,
 * the live run, approvals and the composer.
 */
export function ChatPage({
  conversationId,
  agents,
  onCreated,
  onChanged,
}: {
  conversationId: string | null;
  agents: readonly Agent[];
  /** A first message created this conversation: the page's address becomes its own. */
  onCreated: (conversation: Conversation) => void;
  /** A run ended: the conversation list may have changed. */
  onChanged: () => void;
}) {
  const [history, setHistory] = useState<Item[]>([]);
  const [conversation, setConversation] = useState<Conversation | null>(null);
  // "Try in chat" in the console opens a new chat at /?agent=ID.
  const [agentId, setAgentId] = useState<string>(
    () => new URLSearchParams(location.search).get('agent') ?? '',
  );
  const [loadError, setLoadError] = useState<string | null>(null);
  const [attachments, setAttachments] = useState<FileObject[]>([]);
  const [uploading, setUploading] = useState(false);
  const { runs, follow, reset } = useRuns(onChanged, markLive);
  /** The conversation this page just created: opening it must not clear the run it started. */
  const created = useRef<string | null>(null);
  const agentSelect = useId();
  const scroller = useRef<HTMLDivElement>(null);
  /** Whether the thread follows new output: until the reader scrolls up, and again once back at the end. */
  const stick = useRef(true);
  useEffect(() => {
    if (history.length === 0) return;
    requestAnimationFrame(() => performance.mark('agentd:history-painted'));
  }, [history]);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  });

  useEffect(() => {
    if (conversationId && conversationId === created.current) {
      created.current = null;
      return;
    }
    reset();
    setHistory([]);
    setConversation(null);
    setLoadError(null);
    if (!conversationId) return;
    let gone = false;
    const open = async () => {
      const [meta, items] = await Promise.all([
        agentd().conversations.retrieve(conversationId),
        conversationItems(agentd(), conversationId),
      ]);
      if (gone) return;
      setConversation(meta);
      setAgentId(meta.metadata.agent ?? '');
      const saved = loadRun(conversationId);
      if (saved?.responseId) {
        const current = await agentd()
          .responses.retrieve(saved.responseId)
          .catch(() => null);
        if (gone) return;
        if (current && !isTerminal(current.status)) {
          setHistory(items);
          const id = saved.responseId;
          void follow(conversationId, saved, (signal) => resumeRun(agentd(), id, saved.seq, signal));
          return;
        }
        // It ended while the page was away: the conversation holds its result now.
        const fresh = await conversationItems(agentd(), conversationId);
        if (!gone) setHistory(fresh);
        return;
      }
      // Another tab or device started a run that is still going: follow it from its first event
      // (its input joins the conversation only when it ends, so nothing shows twice).
      const liveId = meta.metadata[LIVE_KEY];
      if (liveId) {
        const current = await agentd()
          .responses.retrieve(liveId)
          .catch(() => null);
        if (gone) return;
        if (current && !isTerminal(current.status)) {
          const text = await runUserText(agentd(), liveId).catch(() => '');
          if (gone) return;
          setHistory(items);
          void follow(conversationId, emptyRun(text), (signal) => resumeRun(agentd(), liveId, 0, signal));
          return;
        }
      }
      // For bench/web-render.mjs: from the items in hand to the thread on screen.
      performance.mark('agentd:history-fetched');
      setHistory(items);
    };
    open().catch((error) => !gone && setLoadError(messageOf(error)));
    return () => {
      gone = true;
    };
  }, [conversationId, follow, reset]);

  const live = runs.at(-1);
  const busy = live !== undefined && !isTerminal(live.status);
  const agent = agentId || undefined;

  /** The run's tools with files attached: the agent's, plus file_search over them and the code interpreter (where offered). */
  const toolsFor = useCallback(
    async (attached: readonly FileObject[]) => {
      if (attached.length === 0) return undefined;
      const ids = attached.map((file) => file.id);
      const [store, offered] = await Promise.all([
        agentd().vectorStores.create({ name: 'chat attachments', file_ids: ids }),
        toolNames(agentd()).catch(() => [] as string[]),
      ]);
      await vectorStoreReady(agentd(), store.id);
      const base = agents.find((candidate) => candidate.id === agentId)?.tools ?? [];
      const tools: ToolReference[] = [
        ...base,
        { type: 'file_search', vector_store_ids: [store.id] },
        ...(offered.includes('code_interpreter')
          ? [{ type: 'code_interpreter', container: { type: 'auto', file_ids: ids } }]
          : []),
      ];
      return tools;
    },
    [agents, agentId],
  );

  const send = async (text: string) => {
    let id = conversationId;
    try {
      if (!id) {
        const made = await agentd().conversations.create({
          metadata: { title: text.slice(0, 60), ...(agent ? { agent } : {}) },
        });
        id = made.id;
        created.current = id;
        setConversation(made);
        onCreated(made);
      }
      const attached = attachments;
      setAttachments([]);
      setUploading(attached.length > 0);
      const tools = await toolsFor(attached).finally(() => setUploading(false));
      // The model is told which files came with the message; the thread shows them under it.
      const input = attached.length
        ? `${text}\n\n(Attached: ${attached.map((file) => file.filename).join(', ')})`
        : text;
      const target = id;
      await follow(target, emptyRun(input), (signal) =>
        streamRun(
          agentd(),
          { input, conversation: target, ...(agent ? { agent } : {}), ...(tools ? { tools } : {}) },
          signal,
        ),
      );
    } catch (error) {
      setLoadError(messageOf(error));
    }
  };

  const answer = (requestId: string, name: string, approve: boolean, reason: string) => {
    if (!conversationId) return;
    const input = [
      { type: 'approval_response', approval_request_id: requestId, approve, ...(reason ? { reason } : {}) },
    ];
    void follow(conversationId, emptyRun('', { requestId, name, approve, reason }), (signal) =>
      streamRun(agentd(), { input, conversation: conversationId, ...(agent ? { agent } : {}) }, signal),
    );
  };

  const stop = () => {
    if (live?.responseId)
      agentd()
        .responses.cancel(live.responseId)
        .catch((error) => {
          if (statusOf(error) !== 409) setLoadError(messageOf(error));
        });
  };

  const attach = (picked: File[]) => {
    setUploading(true);
    Promise.all(picked.map((file) => agentd().files.create({ file, purpose: 'user_data' })))
      .then((uploaded) => setAttachments((all) => [...all, ...uploaded]))
      .catch((error) => setLoadError(`Upload failed: ${messageOf(error)}`))
      .finally(() => setUploading(false));
  };

  const everything = [...history, ...runs.flatMap((run) => run.items as Item[])];
  const answered = new Set(runs.flatMap((run) => (run.answer ? [run.answer.requestId] : [])));
  const approvals = busy ? [] : pendingApprovals(everything).filter((request) => !answered.has(request.id));

  return (
    <main className="chat" id="main">
      <header className="chat-head">
        <h1>{conversation?.metadata.title || (conversationId ? 'Chat' : 'New chat')}</h1>
        <label htmlFor={agentSelect} className="visually-hidden">
          Agent
        </label>
        <select
          id={agentSelect}
          value={agentId}
          disabled={conversationId !== null}
          onChange={(event) => setAgentId(event.target.value)}
        >
          <option value="">Default agent</option>
          {agents.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name}
            </option>
          ))}
        </select>
      </header>
      <div
        className="scroller"
        ref={scroller}
        onScroll={(event) => {
          const element = event.currentTarget;
          stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
        }}
      >
        {history.length === 0 && runs.length === 0 && !conversationId ? (
          <p className="empty">
            Pick an agent and ask something. Every step it takes shows here as it happens.
          </p>
        ) : null}
        <Thread history={history} runs={runs} />
        {approvals.map((request) => (
          <ApprovalCard
            key={request.id}
            request={request}
            disabled={busy}
            onAnswer={(approve, reason) => answer(request.id, request.name, approve, reason)}
          />
        ))}
        {loadError ? (
          <p className="error" role="alert">
            {loadError}
          </p>
        ) : null}
      </div>
      <Composer
        busy={busy}
        uploading={uploading}
        attachments={attachments}
        onSend={(text) => void send(text)}
        onStop={stop}
        onAttach={attach}
        onDetach={(id) => setAttachments((all) => all.filter((file) => file.id !== id))}
      />
    </main>
  );
}
