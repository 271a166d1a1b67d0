import { paginate } from '@agentd/sdk';
import { type FormEvent, useId, useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { FilesTable } from './files-table.js';
import { formatBytes, formatTime } from './format.js';
import { Badge, ErrorNote } from './parts.js';
import { ResourceTable } from './resource-table.js';
import { StoreFiles } from './store-files.js';
import type { StoreView } from './store-view.js';
import { errorText, useLoad } from './use-load.js';

/** Vector stores (list, create, delete; one open with its files) and the tenant's files. */
export function StoresSection({ id, onOpen }: { id: string | null; onOpen: (id: string | null) => void }) {
  const api = useAgentd();
  const [round, setRound] = useState(0);
  const stores = useLoad(async (client) => {
    const all: StoreView[] = [];
    for await (const store of paginate((after) =>
      client.vectorStores.list({ limit: 100, ...(after ? { after } : {}) }),
    ))
      all.push(store as unknown as StoreView);
    return all;
  }, `stores-${round}`);
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();
  const changed = () => setRound((value) => value + 1);
  const open = stores.data?.find((store) => store.id === id) ?? null;
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    setError(null);
    api.vectorStores.create({ name }).then(
      (store) => {
        form.reset();
        changed();
        onOpen(store.id);
      },
      (failure: unknown) => setError(errorText(failure)),
    );
  };
  const remove = (store: StoreView) => {
    if (
      !window.confirm(`Delete the vector store “${store.name ?? store.id}”? Its files stay; the index goes.`)
    )
      return;
    api.vectorStores.del(store.id).then(
      () => {
        if (id === store.id) onOpen(null);
        changed();
      },
      (failure: unknown) => setError(errorText(failure)),
    );
  };
  return (
    <>
      <h1>Vector stores and files</h1>
      <ErrorNote error={stores.error ?? error} />
      <ResourceTable
        label="Vector stores"
        rows={stores.data ?? []}
        name={(store) => store.name ?? store.id}
        open={{ href: (store) => `/console/stores/${store.id}`, current: id, onOpen }}
        columns={[
          {
            header: 'Files',
            cell: (store) => (
              <>
                {store.file_counts.completed} of {store.file_counts.total} indexed
                {store.file_counts.failed > 0 ? `, ${store.file_counts.failed} failed` : ''}
              </>
            ),
          },
          {
            header: 'Status',
            cell: (store) => (
              <Badge tone={store.status === 'completed' ? 'ok' : 'warn'}>
                {store.status.replace('_', ' ')}
              </Badge>
            ),
          },
          { header: 'Size', cell: (store) => formatBytes(store.usage_bytes) },
          { header: 'Created', cell: (store) => formatTime(store.created_at) },
        ]}
        actions={(store) => (
          <button
            type="button"
            className="danger small"
            aria-label={`Delete ${store.name ?? store.id}`}
            onClick={() => remove(store)}
          >
            Delete
          </button>
        )}
        {...(stores.data ? { empty: 'No vector stores yet.' } : {})}
      />
      <form className="panel row" onSubmit={create} aria-label="Create a vector store">
        <label htmlFor={nameId}>New store’s name</label>
        <input id={nameId} name="name" required maxLength={256} />
        <button type="submit" className="primary">
          Create vector store
        </button>
      </form>
      {open ? <StoreFiles key={open.id} store={open} onChanged={changed} /> : null}
      <FilesTable round={round} onChanged={changed} />
    </>
  );
}
