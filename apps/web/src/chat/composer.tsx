import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import type { FileObject } from '../api/types.js';

/** The message box: Enter sends, Shift+Enter breaks the line; Stop while a run is live; files to attach. */
export function Composer({
  busy,
  uploading,
  attachments,
  onSend,
  onStop,
  onAttach,
  onDetach,
}: {
  busy: boolean;
  uploading: boolean;
  attachments: readonly FileObject[];
  onSend: (text: string) => void;
  onStop: () => void;
  onAttach: (files: File[]) => void;
  onDetach: (id: string) => void;
}) {
  const [text, setText] = useState('');
  const inputId = useId();
  const fileId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (busy || !text.trim()) return;
    onSend(text.trim());
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };
  return (
    <form className="composer" onSubmit={submit} aria-label="Compose">
      {attachments.length > 0 ? (
        <ul className="attachments" aria-label="Attached files">
          {attachments.map((file) => (
            <li key={file.id}>
              {file.filename}
              <button
                type="button"
                className="link"
                onClick={() => onDetach(file.id)}
                aria-label={`Remove ${file.filename}`}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <label htmlFor={inputId} className="visually-hidden">
        Message
      </label>
      <textarea
        id={inputId}
        value={text}
        rows={2}
        placeholder="Ask the agent…"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-actions">
        <label htmlFor={fileId} className="button" aria-disabled={uploading}>
          {uploading ? 'Uploading…' : 'Attach'}
        </label>
        <input
          id={fileId}
          ref={fileInput}
          type="file"
          multiple
          className="visually-hidden"
          onChange={(event) => {
            const picked = [...(event.target.files ?? [])];
            if (picked.length) onAttach(picked);
            if (fileInput.current) fileInput.current.value = '';
          }}
        />
        {busy ? (
          <button type="button" className="danger" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="primary" disabled={!text.trim()}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
