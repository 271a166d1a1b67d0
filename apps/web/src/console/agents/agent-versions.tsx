import { useEffect, useState } from 'react';
import { messageOf } from '../../api/errors.js';
import { agentd } from '../../api/sdk.js';
import type { Agent } from '../../api/types.js';
import { VersionDiff } from '../version-diff.js';
import { definitionText } from './line-diff.js';

/** One version as the server keeps it (`object: 'agent.version'`). */
interface Version {
  version: number;
  created_at: number;
  [field: string]: unknown;
}

/** An agent's versions (the server keeps every one), and the diff between any two. */
export function AgentVersions({ agent }: { agent: Agent }) {
  const [versions, setVersions] = useState<Version[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // Re-read whenever the agent gets a new version.
    void agent.version;
    setError(null);
    agentd()
      .agents.versions(agent.id, { limit: 100, order: 'desc' })
      .then((page) => setVersions(page.data as unknown as Version[]))
      .catch((failure) => setError(messageOf(failure)));
  }, [agent.id, agent.version]);

  return (
    <section className="panel" aria-label={`Versions of ${agent.name}`}>
      <h2>Versions of {agent.name}</h2>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <VersionDiff versions={versions} textOf={definitionText} />
    </section>
  );
}
