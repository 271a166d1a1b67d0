import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { formatBytes, formatTime } from './format.js';
import { Badge, ErrorNote } from './parts.js';
import { ResourceTable } from './resource-table.js';
import type { StoreView } from './store-view.js';
import { errorText, useLoad } from './use-load.js';

interface StoreFileView {
  id: string;
  created_at: number;
  status: 'in_progress' | 'completed' | 'failed' | 'cancelled';
  last_error: { code: string; message: string } | null;
  usage_bytes: number;
}

const TONES = { in_progress: 'warn', completed: 'ok', failed: 'bad', cancelled: 'plain' } as const;

/** One vector store's files and their indexing status (watched until done), an upload, and removal. */
export function StoreFiles({ store, onChanged }: { store: StoreView; onChanged: () => void }) {
  const api = useAgentd();
  const files = useLoad(async (client) => {
    const [page, named] = await Promise.all([
      client.vectorStores.listFiles(store.id, { limit: 100 }),
      client.files.list({ limit: 100 }),
    ]);
    const names = new Map(named.data.map((file) => [file.id, file.filename]));
    return (page.data as unknown as StoreFileView[]).map((file) => ({
      ...file,
      filename: names.get(file.id) ?? file.id,
    }));
  }, store.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const indexing = files.data?.some((file) => file.status === 'in_progress') ?? false;
  const { reload } = files;
  const changedRef = useRef(onChanged);
  changedRef.current = onChanged;
  // While a file is being indexed, look again each second; the store's counts change when it is done.
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new answer (files.data) sets the next look
  useEffect(() => {
    if (!indexing) return;
    const timer = setTimeout(() => {
      reload();
      changedRef.current();
    }, 1000);
    return () => clearTimeout(timer);
  }, [indexing, reload, files.data]);
  const upload = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const chosen = (form.elements.namedItem('file') as HTMLInputElement).files;
    if (!chosen || chosen.length === 0) return;
    setError(null);
    setBusy(true);
    (async () => {
      for (const file of chosen) {
        const uploaded = await api.files.create({ file, purpose: 'assistants' });
        await api.vectorStores.addFile(store.id, { file_id: uploaded.id });
      }
    })()
      .then(() => {
        form.reset();
        reload();
        onChanged();
      })
      .catch((failure: unknown) => setError(errorText(failure)))
      .finally(() => setBusy(false));
  };
  const remove = (file: StoreFileView & { filename: string }) => {
    setError(null);
    api.vectorStores.removeFile(store.id, file.id).then(
      () => {
        reload();
        onChanged();
      },
      (failure: unknown) => setError(errorText(failure)),
    );
  };
  return (
    <section className="panel" aria-label={`Files of ${store.name ?? store.id}`}>
      <h2>Files of “{store.name ?? store.id}”</h2>
      <ErrorNote error={files.error ?? error} />
      <ResourceTable
        label={`Files in ${store.name ?? store.id}`}
        nameHeader="File"
        rows={files.data ?? []}
        name={(file) => file.filename}
        columns={[
          {
            header: 'Status',
            cell: (file) => (
              <>
                <Badge tone={TONES[file.status]}>{file.status.replace('_', ' ')}</Badge>
                {file.last_error ? <span className="bad-text"> {file.last_error.message}</span> : null}
              </>
            ),
          },
          { header: 'Indexed size', cell: (file) => formatBytes(file.usage_bytes) },
          { header: 'Added', cell: (file) => formatTime(file.created_at) },
        ]}
        actions={(file) => (
          <button
            type="button"
            className="small"
            aria-label={`Remove ${file.filename} from the store`}
            onClick={() => remove(file)}
          >
            Remove
          </button>
        )}
        {...(files.data ? { empty: 'No files in this store yet.' } : {})}
      />
      <form className="row" onSubmit={upload} aria-label="Upload files to the store">
        <label htmlFor={inputId}>Upload files</label>
        <input id={inputId} name="file" type="file" multiple required />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Uploading…' : 'Upload and index'}
        </button>
      </form>
    </section>
  );
}
