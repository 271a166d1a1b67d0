import type { AuditEvent } from '@agentd/sdk';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { AUDIT_EVENT_TYPES, type AuditFilters, actorOf, auditQuery, NO_FILTERS } from './audit-query.js';
import { AuditVerify } from './audit-verify.js';
import { formatTime } from './format.js';
import { ErrorNote, TableWrap } from './parts.js';
import { useLoad } from './use-load.js';

const PAGE_SIZE = 20;

type EventView = AuditEvent & { actor: Parameters<typeof actorOf>[0] };

/** The tenant's audit log: filters, pages newest first (cursor paging), the chain's verification, export. */
export function AuditSection() {
  const api = useAgentd();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  // The cursors of the pages before this one: the last id of each (the first page has none).
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.at(-1);
  const query = auditQuery(filters);
  const page = useLoad(
    (client) => client.auditEvents.list({ ...query, limit: PAGE_SIZE, ...(after ? { after } : {}) }),
    JSON.stringify([query, after]),
  );
  const events = (page.data?.data ?? []) as EventView[];
  const ids = {
    types: useId(),
    typeList: useId(),
    actors: useId(),
    resources: useId(),
    from: useId(),
    to: useId(),
  };
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (field: keyof AuditFilters) => String(data.get(field) ?? '').trim();
    setFilters({
      types: text('types'),
      actors: text('actors'),
      resources: text('resources'),
      from: text('from'),
      to: text('to'),
    });
    setCursors([]);
  };
  /** Clicking an actor or a resource in a row narrows the log to it (the other filters kept). */
  const narrow = (field: 'actors' | 'resources', id: string) => {
    setFilters((current) => ({ ...current, [field]: id }));
    setCursors([]);
  };
  const [exportError, setExportError] = useState<string | null>(null);
  const download = () => {
    setExportError(null);
    api.auditEvents
      .export(query)
      .then((response) => response.blob())
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        const link = document.createElement('a');
        link.href = url;
        link.download = 'audit-events.jsonl';
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      })
      .catch((failure: Error) => setExportError(failure.message));
  };
  return (
    <>
      <h1>Audit log</h1>
      <form
        // Filters set by a click in the table show in the fields: a new form takes them as its defaults.
        key={JSON.stringify(filters)}
        className="panel filters"
        onSubmit={apply}
        onReset={() => {
          setFilters(NO_FILTERS);
          setCursors([]);
        }}
        aria-label="Filter the audit log"
      >
        <div className="field">
          <label htmlFor={ids.types}>Event type</label>
          <input
            id={ids.types}
            name="types"
            list={ids.typeList}
            placeholder="agent.created"
            defaultValue={filters.types}
          />
          <datalist id={ids.typeList}>
            {AUDIT_EVENT_TYPES.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={ids.actors}>Actor (key or user id)</label>
          <input id={ids.actors} name="actors" defaultValue={filters.actors} />
        </div>
        <div className="field">
          <label htmlFor={ids.resources}>Resource id</label>
          <input id={ids.resources} name="resources" defaultValue={filters.resources} />
        </div>
        <div className="field">
          <label htmlFor={ids.from}>From</label>
          <input id={ids.from} name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>To</label>
          <input id={ids.to} name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="row">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button type="reset">Clear</button>
        </div>
      </form>
      <AuditVerify />
      <ErrorNote error={page.error ?? exportError} />
      <TableWrap label="Audit events">
        <caption className="visually-hidden">Audit events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Actor</th>
            <th scope="col">Resource</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td>{formatTime(event.effective_at)}</td>
              <td>
                <code>{event.type}</code>
              </td>
              <td className="ids">
                <FilterLink id={actorOf(event.actor).id} label="actor" onPick={(id) => narrow('actors', id)}>
                  {actorOf(event.actor).text}
                </FilterLink>
              </td>
              <td className="ids">
                {event.resource ? (
                  <>
                    {event.resource.type}{' '}
                    <FilterLink
                      id={event.resource.id}
                      label="resource"
                      onPick={(id) => narrow('resources', id)}
                    >
                      <code>{event.resource.id}</code>
                    </FilterLink>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <details>
                  <summary>
                    #{(event.chain as { sequence?: number } | undefined)?.sequence ?? ''}
                    <span className="visually-hidden"> {event.type} details</span>
                  </summary>
                  <pre>{JSON.stringify(event[event.type] ?? {}, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
          {!page.loading && events.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No events match.
              </td>
            </tr>
          ) : null}
        </tbody>
      </TableWrap>
      <nav className="row pager" aria-label="Audit log pages">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors((all) => all.slice(0, -1))}
        >
          Newer
        </button>
        <span aria-live="polite">Page {cursors.length + 1}</span>
        <button
          type="button"
          disabled={!page.data?.has_more || !page.data.last_id}
          onClick={() => {
            const last = page.data?.last_id;
            if (last) setCursors((all) => [...all, last]);
          }}
        >
          Older
        </button>
        <button type="button" className="link" onClick={download}>
          Export JSON Lines
        </button>
      </nav>
    </>
  );
}

/** An actor or resource in a row, as a button that filters the log by it (plain text without an id). */
function FilterLink({
  id,
  label,
  onPick,
  children,
}: {
  id: string | null;
  label: string;
  onPick: (id: string) => void;
  children: ReactNode;
}) {
  if (!id) return <>{children}</>;
  return (
    <button
      type="button"
      className="link"
      onClick={() => onPick(id)}
      title={`Show only this ${label}'s events`}
    >
      {children}
      <span className="visually-hidden"> (show only this {label}'s events)</span>
    </button>
  );
}
