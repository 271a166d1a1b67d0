import { paginate } from '@agentd/sdk';
import { useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { formatTime } from './format.js';
import { ErrorNote, TableWrap } from './parts.js';
import { PolicyEditor, type PolicyView } from './policy-editor.js';
import { PolicyVersions } from './policy-versions.js';
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
      <TableWrap label="Policies">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Effect</th>
            <th scope="col">Actions</th>
            <th scope="col">Version</th>
            <th scope="col">Updated</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(policies.data ?? []).map((policy) => (
            <tr key={policy.id} className={policy.id === id ? 'current' : undefined}>
              <th scope="row">
                <a
                  href={`/console/policies/${policy.id}`}
                  aria-current={policy.id === id ? 'true' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    onOpen(policy.id);
                  }}
                >
                  {policy.name}
                </a>
              </th>
              <td>{policy.effect}</td>
              <td>{policy.actions.join(', ')}</td>
              <td>{policy.version}</td>
              <td>{formatTime(policy.updated_at ?? policy.created_at)}</td>
              <td>
                <button
                  type="button"
                  className="danger small"
                  aria-label={`Delete ${policy.name}`}
                  onClick={() => remove(policy)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {policies.data?.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                No policies: every call the roles allow is allowed.
              </td>
            </tr>
          ) : null}
        </tbody>
      </TableWrap>
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
