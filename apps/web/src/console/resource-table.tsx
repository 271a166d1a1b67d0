import type { ReactNode } from 'react';
import { TableWrap } from './parts.js';

/** A column of a resource list: its header and what a row shows in it. */
export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

/**
 * The console's list of one kind of resource: a table that scrolls sideways
 * on a phone (by keyboard too), the name first (a link that opens the
 * resource when `open` is given, marked when it is the one open), the
 * columns, and a last column of actions, named for screen readers.
 */
export function ResourceTable<T extends { id: string }>({
  label,
  rows,
  name,
  columns,
  actions,
  open,
  empty,
  nameHeader = 'Name',
}: {
  label: string;
  /** The first column's header. */
  nameHeader?: string;
  rows: readonly T[];
  name: (row: T) => ReactNode;
  columns: Column<T>[];
  actions?: (row: T) => ReactNode;
  /** Rows open as pages: their link, the one open, and how to open one without a reload. */
  open?: { href: (row: T) => string; current: string | null; onOpen: (id: string) => void };
  /** Said when there are no rows. */
  empty?: string;
}) {
  const width = columns.length + 1 + (actions ? 1 : 0);
  return (
    <TableWrap label={label}>
      <thead>
        <tr>
          <th scope="col">{nameHeader}</th>
          {columns.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
          {actions ? (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const isCurrent = open?.current === row.id;
          return (
            <tr key={row.id} className={isCurrent ? 'current' : undefined}>
              <th scope="row">
                {open ? (
                  <a
                    href={open.href(row)}
                    aria-current={isCurrent ? 'true' : undefined}
                    onClick={(event) => {
                      event.preventDefault();
                      open.onOpen(row.id);
                    }}
                  >
                    {name(row)}
                  </a>
                ) : (
                  name(row)
                )}
              </th>
              {columns.map((column) => (
                <td key={column.header}>{column.cell(row)}</td>
              ))}
              {actions ? <td className="actions">{actions(row)}</td> : null}
            </tr>
          );
        })}
        {empty && rows.length === 0 ? (
          <tr>
            <td colSpan={width} className="muted">
              {empty}
            </td>
          </tr>
        ) : null}
      </tbody>
    </TableWrap>
  );
}
