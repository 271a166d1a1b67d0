import { useState } from 'react';
import { fileObjectUrl } from '../api/extras.js';
import { agentd } from '../api/sdk.js';

/**
 * A link to a stored file. A signed link opens it directly; otherwise the
 * bytes are fetched with the credential and opened as a blob.
 */
export function FileLink({ fileId, name, url }: { fileId: string; name: string; url?: string | undefined }) {
  const [failed, setFailed] = useState(false);
  if (url)
    return (
      <a href={url} download={name}>
        {name}
      </a>
    );
  return (
    <button
      type="button"
      className="link"
      title={failed ? 'The file could not be opened' : `Open ${name}`}
      onClick={() => {
        fileObjectUrl(agentd(), fileId)
          .then((blob) => {
            window.open(blob, '_blank', 'noopener');
          })
          .catch(() => setFailed(true));
      }}
    >
      {name}
      {failed ? ' (unavailable)' : ''}
    </button>
  );
}
