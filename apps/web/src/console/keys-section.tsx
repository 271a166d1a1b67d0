import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { agentd } from '../api/sdk.js';
import type { ApiKey, CreatedApiKey, Role } from '../api/types.js';
import { CopyButton } from '../ui/copy-button.js';
import { ResourceTable } from './resource-table.js';

/** API keys: create one (its secret shown once, here), list, revoke. */
export function KeysSection() {
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();
  const roleId = useId();
  const load = useCallback(() => {
    agentd()
      .apiKeys.list({ limit: 100 })
      .then((page) => setKeys(page.data as ApiKey[]))
      .catch((failure: Error) => setError(failure.message));
  }, []);
  useEffect(load, [load]);
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    agentd()
      .apiKeys.create({ name: String(data.get('name')).trim(), role: String(data.get('role')) as Role })
      .then((key) => {
        setCreated(key);
        form.reset();
        load();
      })
      .catch((failure: Error) => setError(failure.message));
  };
  return (
    <>
      <h1>API keys</h1>
      {created ? (
        <section className="panel once" aria-label="New key" data-testid="new-key">
          <h2>Your new key “{created.name}”</h2>
          <p>Copy it now: it is not shown again.</p>
          <code className="secret">{created.value}</code> <CopyButton text={created.value} />
          <button type="button" className="link" onClick={() => setCreated(null)}>
            Done
          </button>
        </section>
      ) : null}
      <ResourceTable
        label="API keys"
        rows={keys}
        name={(key) => key.name}
        columns={[
          { header: 'Key', cell: (key) => <code>{key.redacted_value}</code> },
          { header: 'Role', cell: (key) => key.role },
          {
            header: 'Last used',
            cell: (key) => (key.last_used_at ? new Date(key.last_used_at * 1000).toLocaleString() : 'never'),
          },
        ]}
        actions={(key) => (
          <button
            type="button"
            className="danger small"
            aria-label={`Revoke ${key.name}`}
            onClick={() => {
              if (!window.confirm(`Revoke “${key.name}”? Anything using it stops working.`)) return;
              agentd()
                .apiKeys.del(key.id)
                .then(load)
                .catch((failure: Error) => setError(failure.message));
            }}
          >
            Revoke
          </button>
        )}
      />
      <form className="panel" onSubmit={create} aria-label="Create an API key">
        <h2>Create a key</h2>
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} name="name" required maxLength={128} />
        <label htmlFor={roleId}>Role</label>
        <select id={roleId} name="role" defaultValue="member">
          <option value="member">member: use the API</option>
          <option value="admin">admin: also manage keys</option>
        </select>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary">
          Create key
        </button>
      </form>
    </>
  );
}
