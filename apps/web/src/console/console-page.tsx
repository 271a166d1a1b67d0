import type { Agent } from '../api/types.js';
import { AgentsSection } from './agents-section.js';
import { AuditSection } from './audit-section.js';
import { KeysSection } from './keys-section.js';
import { LimitsSection } from './limits-section.js';
import { PoliciesSection } from './policies-section.js';
import { RunInspector } from './run-inspector.js';
import { CONSOLE_SECTIONS, type ConsoleSection } from './sections.js';
import { StoresSection } from './stores-section.js';
import { ToolsSection } from './tools-section.js';
import { UsageSection } from './usage-section.js';
import './console.css';

/**
 * The console for the people who run the platform: one section at a time
 * under a navigation of them all. Its own chunk: the chat never loads it.
 */
export default function ConsolePage({
  section,
  id,
  navigate,
  onAgentsChanged,
}: {
  section: ConsoleSection;
  id: string | null;
  navigate: (to: string) => void;
  onAgentsChanged: (agents: Agent[]) => void;
}) {
  return (
    <main className="console" id="main">
      <nav className="console-nav" aria-label="Console sections">
        <ul>
          {CONSOLE_SECTIONS.map((entry) => (
            <li key={entry.id}>
              <a
                href={`/console/${entry.id}`}
                aria-current={entry.id === section ? 'page' : undefined}
                onClick={(event) => {
                  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  navigate(`/console/${entry.id}`);
                }}
              >
                {entry.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="console-body">
        {section === 'agents' ? <AgentsSection onChanged={onAgentsChanged} /> : null}
        {section === 'tools' ? <ToolsSection /> : null}
        {section === 'stores' ? (
          <StoresSection id={id} onOpen={(storeId) => navigate(`/console/stores/${storeId ?? ''}`)} />
        ) : null}
        {section === 'keys' ? <KeysSection /> : null}
        {section === 'policies' ? (
          <PoliciesSection id={id} onOpen={(policyId) => navigate(`/console/policies/${policyId ?? ''}`)} />
        ) : null}
        {section === 'limits' ? <LimitsSection /> : null}
        {section === 'usage' ? <UsageSection /> : null}
        {section === 'audit' ? <AuditSection /> : null}
        {section === 'runs' ? (
          <RunInspector id={id} onOpen={(runId) => navigate(`/console/runs/${runId}`)} />
        ) : null}
      </div>
    </main>
  );
}
