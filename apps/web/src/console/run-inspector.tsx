import { type FormEvent, useEffect, useId, useState } from 'react';
import { agentd } from '../api/sdk.js';
import type { ResponseEvent } from '../api/types.js';

/** Any run's event log, in order: each model call, tool call, approval and safety verdict. */
export function RunInspector({ id, onOpen }: { id: string | null; onOpen: (id: string) => void }) {
  const [events, setEvents] = useState<ResponseEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  useEffect(() => {
    setEvents([]);
    setError(null);
    if (!id) return;
    agentd()
      .responses.events(id, { limit: 1000 })
      .then((page) => setEvents(page.data))
      .catch((failure: Error) => setError(failure.message));
  }, [id]);
  const open = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('id') ?? '').trim();
    if (value) onOpen(value);
  };
  const shown = events.filter((event) => !event.type.endsWith('.delta'));
  return (
    <>
      <h1>Run inspector</h1>
      <form className="row" onSubmit={open}>
        <label htmlFor={inputId}>Response id</label>
        <input id={inputId} name="id" defaultValue={id ?? ''} placeholder="resp_…" />
        <button type="submit">Open</button>
      </form>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <ol className="timeline">
        {shown.map((event) => (
          <li key={event.sequence_number}>
            <details>
              <summary>
                <span className="seq">#{event.sequence_number}</span> {event.type}
              </summary>
              <pre>{JSON.stringify(event, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
      {id && events.length > shown.length ? (
        <p className="muted">{events.length - shown.length} text deltas not listed.</p>
      ) : null}
    </>
  );
}
