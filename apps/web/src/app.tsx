import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { isSignedIn, signOut } from './api/credentials.js';
import { agentd, setUnauthorizedHandler } from './api/sdk.js';
import type { Agent, Conversation } from './api/types.js';
import { ChatPage } from './chat/chat-page.js';
import { ConversationList } from './chat/conversation-list.js';
import { type Route, useRoute } from './router.js';
import { SignIn } from './sign-in.js';

// The console is its own chunk: the chat page never loads it.
const ConsolePage = lazy(() => import('./console/console-page.js'));

export function App() {
  const { route, navigate } = useRoute();
  const [signedIn, setSignedIn] = useState(isSignedIn);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      signOut();
      setSignedIn(false);
    });
  }, []);
  if (!signedIn || route.page === 'sign-in')
    return (
      <SignIn
        onSignedIn={() => {
          setSignedIn(true);
          if (route.page === 'sign-in') navigate('/', { replace: true });
        }}
      />
    );
  return (
    <Shell
      route={route}
      navigate={navigate}
      onSignOut={() => {
        signOut();
        setSignedIn(false);
      }}
    />
  );
}

function Shell({
  route,
  navigate,
  onSignOut,
}: {
  route: Exclude<Route, { page: 'sign-in' }>;
  navigate: (to: string, options?: { replace?: boolean }) => void;
  onSignOut: () => void;
}) {
  const [agents, setAgents] = useState<Agent[]>([]);
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [menuOpen, setMenuOpen] = useState(false);
  const refresh = useCallback(() => {
    agentd()
      .conversations.list({ limit: 100 })
      .then((page) => setConversations(page.data))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    refresh();
    agentd()
      .agents.list({ limit: 100, order: 'asc' })
      .then((page) => setAgents(page.data as unknown as Agent[]))
      .catch(() => undefined);
  }, [refresh]);
  const go = (to: string) => {
    setMenuOpen(false);
    navigate(to);
  };
  const currentId = route.page === 'chat' ? route.conversationId : null;
  return (
    <div className={`shell${menuOpen ? ' menu-open' : ''}`}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <button
        type="button"
        className="menu-button"
        aria-expanded={menuOpen}
        aria-controls="sidebar"
        onClick={() => setMenuOpen((open) => !open)}
      >
        Menu
      </button>
      <aside id="sidebar" className="sidebar">
        <div className="brand">agentd</div>
        <button type="button" className="primary new-chat" onClick={() => go('/')}>
          New chat
        </button>
        <ConversationList
          conversations={conversations}
          currentId={currentId}
          onOpen={(id) => go(`/c/${id}`)}
          onRename={(conversation, title) => {
            agentd()
              .conversations.update(conversation.id, { metadata: { ...conversation.metadata, title } })
              .then(refresh)
              .catch(() => undefined);
          }}
          onDelete={(conversation) => {
            agentd()
              .conversations.del(conversation.id)
              .then(() => {
                refresh();
                if (conversation.id === currentId) navigate('/');
              })
              .catch(() => undefined);
          }}
        />
        <nav className="console-links" aria-label="Console">
          <a
            href="/console/agents"
            onClick={(event) => {
              event.preventDefault();
              go('/console/agents');
            }}
          >
            Agents
          </a>
          <a
            href="/console/keys"
            onClick={(event) => {
              event.preventDefault();
              go('/console/keys');
            }}
          >
            API keys
          </a>
          <a
            href="/console/runs"
            onClick={(event) => {
              event.preventDefault();
              go('/console/runs');
            }}
          >
            Run inspector
          </a>
          <button type="button" className="link" onClick={onSignOut}>
            Sign out
          </button>
        </nav>
      </aside>
      {route.page === 'chat' ? (
        <ChatPage
          conversationId={route.conversationId}
          agents={agents}
          onCreated={(conversation) => {
            setConversations((all) => [conversation, ...all]);
            navigate(`/c/${conversation.id}`, { replace: true });
          }}
          onChanged={refresh}
        />
      ) : (
        <Suspense fallback={<main id="main" className="console" aria-busy="true" />}>
          <ConsolePage
            section={route.section}
            id={route.id}
            navigate={navigate}
            onAgentsChanged={setAgents}
          />
        </Suspense>
      )}
    </div>
  );
}
