import type { FileObject } from '@agentd/sdk';
import { paginate } from '@agentd/sdk';
import { useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { formatBytes, formatTime } from './format.js';
import { ErrorNote } from './parts.js';
import { ResourceTable } from './resource-table.js';
import { errorText, useLoad } from './use-load.js';

/** The tenant's files (uploads and tool outputs): list and delete. */
export function FilesTable({ round, onChanged }: { round: number; onChanged: () => void }) {
  const api = useAgentd();
  const files = useLoad(async (client) => {
    const all: FileObject[] = [];
    for await (const file of paginate((after) =>
      client.files.list({ limit: 100, ...(after ? { after } : {}) }),
    ))
      all.push(file);
    return all;
  }, `files-${round}`);
  const [error, setError] = useState<string | null>(null);
  const remove = (file: FileObject) => {
    if (!window.confirm(`Delete the file “${file.filename}”? It leaves every vector store too.`)) return;
    api.files.del(file.id).then(onChanged, (failure: unknown) => setError(errorText(failure)));
  };
  return (
    <>
      <h2>Files</h2>
      <ErrorNote error={files.error ?? error} />
      <ResourceTable
        label="Files"
        rows={files.data ?? []}
        name={(file) => file.filename}
        columns={[
          { header: 'Purpose', cell: (file) => file.purpose },
          { header: 'Size', cell: (file) => formatBytes(file.bytes) },
          { header: 'Uploaded', cell: (file) => formatTime(file.created_at) },
        ]}
        actions={(file) => (
          <button
            type="button"
            className="danger small"
            aria-label={`Delete the file ${file.filename}`}
            onClick={() => remove(file)}
          >
            Delete
          </button>
        )}
        {...(files.data ? { empty: 'No files yet.' } : {})}
      />
    </>
  );
}
