import type { FileObject } from '@agentd/sdk';
import { paginate } from '@agentd/sdk';
import { useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { formatBytes, formatTime } from './format.js';
import { ErrorNote, TableWrap } from './parts.js';
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
      <TableWrap label="Files">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Purpose</th>
            <th scope="col">Size</th>
            <th scope="col">Uploaded</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(files.data ?? []).map((file) => (
            <tr key={file.id}>
              <th scope="row">{file.filename}</th>
              <td>{file.purpose}</td>
              <td>{formatBytes(file.bytes)}</td>
              <td>{formatTime(file.created_at)}</td>
              <td>
                <button
                  type="button"
                  className="danger small"
                  aria-label={`Delete the file ${file.filename}`}
                  onClick={() => remove(file)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {files.data?.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No files yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </TableWrap>
    </>
  );
}
