import { useId, useState } from 'react';
import type { Conversation } from '../api/types.js';

export const titleOf = (conversation: Conversation) => conversation.metadata.title || 'Untitled chat';

/** The sidebar's conversations: filtered as you type, renamed and deleted in place. */
export function ConversationList({
  conversations,
  currentId,
  onOpen,
  onRename,
  onDelete,
}: {
  conversations: readonly Conversation[];
  currentId: string | null;
  onOpen: (id: string) => void;
  onRename: (conversation: Conversation, title: string) => void;
  onDelete: (conversation: Conversation) => void;
}) {
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const searchId = useId();
  const shown = conversations.filter((conversation) =>
    titleOf(conversation).toLowerCase().includes(query.trim().toLowerCase()),
  );
  return (
    <nav className="conversations" aria-label="Conversations">
      <label htmlFor={searchId} className="visually-hidden">
        Search conversations
      </label>
      <input
        id={searchId}
        type="search"
        placeholder="Search chats"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <ul>
        {shown.map((conversation) => (
          <li key={conversation.id} className={conversation.id === currentId ? 'current' : undefined}>
            {editing === conversation.id ? (
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  const title = new FormData(event.currentTarget).get('title');
                  if (typeof title === 'string' && title.trim()) onRename(conversation, title.trim());
                  setEditing(null);
                }}
              >
                <input
                  name="title"
                  aria-label="New title"
                  defaultValue={titleOf(conversation)}
                  // biome-ignore lint/a11y/noAutofocus: the rename field opens on the user's request
                  autoFocus
                  onKeyDown={(event) => {
                    if (event.key === 'Escape') setEditing(null);
                  }}
                />
              </form>
            ) : (
              <>
                <a
                  href={`/c/${conversation.id}`}
                  aria-current={conversation.id === currentId ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    onOpen(conversation.id);
                  }}
                >
                  {titleOf(conversation)}
                </a>
                <span className="item-actions">
                  <button
                    type="button"
                    className="link"
                    aria-label={`Rename ${titleOf(conversation)}`}
                    onClick={() => setEditing(conversation.id)}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Delete ${titleOf(conversation)}`}
                    onClick={() => {
                      if (window.confirm(`Delete “${titleOf(conversation)}”?`)) onDelete(conversation);
                    }}
                  >
                    Delete
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
        {shown.length === 0 ? (
          <li className="muted">{query ? 'No chat matches.' : 'No chats yet.'}</li>
        ) : null}
      </ul>
    </nav>
  );
}
