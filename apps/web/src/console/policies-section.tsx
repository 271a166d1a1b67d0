import { paginate } from '@agentd/sdk';
import { useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { formatTime } from './format.js';
import { ErrorNote } from './parts.js';
import { PolicyEditor, type PolicyView } from './policy-editor.js';
import { PolicyVersions } from './policy-versions.js';
import { ResourceTable } from './resource-table.js';
import { errorText, useLoad } from './use-load.js';

/** The tenant's Cedar policies: the list, one open to edit (or a new one), and its versions. */
export function PoliciesSection({ id, onOpen }: { id: string | null; onOpen: (id: string | null) => void }) {
  const api = useAgentd();
  const policies = useLoad(async (client) => {
    const all: PolicyView[] = [];
    for await (const policy of paginate((after) =>
      client.policies.list({ limit: 100, ...(after ? { after } : {}) }),
    ))
      all.push(policy as unknown as PolicyView);
    return all;
  }, 'policies');
  const [error, setError] = useState<string | null>(null);
  const open = id && id !== 'new' ? (policies.data?.find((policy) => policy.id === id) ?? null) : null;
  const remove = (policy: PolicyView) => {
    if (!window.confirm(`Delete the policy “${policy.name}” and its versions? It stops applying at once.`))
      return;
    api.policies.del(policy.id).then(
      () => {
        policies.reload();
        if (id === policy.id) onOpen(null);
      },
      (failure: unknown) => setError(errorText(failure)),
    );
  };
  return (
    <>
      <h1>Policies</h1>
      <p className="muted">
        Cedar policies decide who may run which agent, which tool an agent may call with which arguments, and
        who may approve; a forbid wins over a permit. Each save is a new version and applies at once.
      </p>
      <ErrorNote error={policies.error ?? error} />
      <ResourceTable
        label="Policies"
        rows={policies.data ?? []}
        name={(policy) => policy.name}
        open={{ href: (policy) => `/console/policies/${policy.id}`, current: id, onOpen }}
        columns={[
          { header: 'Effect', cell: (policy) => policy.effect },
          { header: 'Actions', cell: (policy) => policy.actions.join(', ') },
          { header: 'Version', cell: (policy) => policy.version },
          { header: 'Updated', cell: (policy) => formatTime(policy.updated_at ?? policy.created_at) },
        ]}
        actions={(policy) => (
          <button
            type="button"
            className="danger small"
            aria-label={`Delete ${policy.name}`}
            onClick={() => remove(policy)}
          >
            Delete
          </button>
        )}
        {...(policies.data ? { empty: 'No policies: every call the roles allow is allowed.' } : {})}
      />
      {open ? (
        <button type="button" onClick={() => onOpen(null)}>
          New policy
        </button>
      ) : null}
      <PolicyEditor
        key={open ? `editor:${open.id}@${open.version}` : 'editor:new'}
        policy={open}
        onSaved={(saved) => {
          policies.reload();
          onOpen(saved.id);
        }}
      />
      {open ? <PolicyVersions key={`versions:${open.id}@${open.version}`} policy={open} /> : null}
    </>
  );
}
