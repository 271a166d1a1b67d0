import type { Agent } from '../api/types.js';
import { AgentsSection } from './agents-section.js';
import { KeysSection } from './keys-section.js';
import { RunInspector } from './run-inspector.js';

/** The console for the people who run the platform: agents, API keys, and any run's event log. */
export default function ConsolePage({
  section,
  id,
  navigate,
  onAgentsChanged,
}: {
  section: 'agents' | 'keys' | 'runs';
  id: string | null;
  navigate: (to: string) => void;
  onAgentsChanged: (agents: Agent[]) => void;
}) {
  return (
    <main className="console" id="main">
      {section === 'agents' ? <AgentsSection onChanged={onAgentsChanged} /> : null}
      {section === 'keys' ? <KeysSection /> : null}
      {section === 'runs' ? (
        <RunInspector id={id} onOpen={(runId) => navigate(`/console/runs/${runId}`)} />
      ) : null}
    </main>
  );
}
