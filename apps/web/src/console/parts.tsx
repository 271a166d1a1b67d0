import type { ReactNode } from 'react';

/** A failure, said where it happened and read out by screen readers. */
export function ErrorNote({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}

/** A table that scrolls sideways on a narrow screen, by keyboard too (it takes the focus). */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than a phone scrolls, by keyboard too
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      <table className="data">{children}</table>
    </section>
  );
}

/** A state shown as a word with a colour that is not the only cue (the word says it). */
export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'plain'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
