import { readFileSync } from 'node:fs';

/** One labelled text; `repo` is the `owner/name` part of its source, the unit of grouped validation. */
export interface Row {
  text: string;
  label: 0 | 1;
  repo: string;
  /** Where the attack sits in a long text, when it can be located (see locateInsertedAttacks). */
  attack?: { start: number; end: number };
}

export function readRows(paths: readonly string[]): Row[] {
  const rows: Row[] = [];
  for (const path of paths)
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const { text, label, source } = JSON.parse(line) as { text: string; label: number; source: string };
      rows.push({ text, label: label === 1 ? 1 : 0, repo: source.split(':')[0] ?? source });
    }
  return locateInsertedAttacks(rows);
}

const KEY = 40;

/**
 * Indirect-injection sets hold each document twice, clean and with an attack
 * inserted. Where an attack row has a clean twin in the same repository (same
 * opening or same ending, and the rest matching), the attack is the part the
 * twin lacks; training then labels only the windows that hold it.
 */
function locateInsertedAttacks(rows: Row[]): Row[] {
  const byHead = new Map<string, Row[]>();
  const byTail = new Map<string, Row[]>();
  for (const row of rows) {
    if (row.label !== 0 || row.text.length < 2 * KEY) continue;
    push(byHead, `${row.repo}|${row.text.slice(0, KEY)}`, row);
    push(byTail, `${row.repo}|${row.text.slice(-KEY)}`, row);
  }
  for (const row of rows) {
    if (row.label !== 1 || row.text.length < 2 * KEY) continue;
    const candidates = [
      ...(byHead.get(`${row.repo}|${row.text.slice(0, KEY)}`) ?? []),
      ...(byTail.get(`${row.repo}|${row.text.slice(-KEY)}`) ?? []),
    ];
    for (const twin of candidates) {
      const limit = Math.min(twin.text.length, row.text.length);
      let prefix = 0;
      while (prefix < limit && twin.text[prefix] === row.text[prefix]) prefix++;
      let suffix = 0;
      while (
        suffix < limit - prefix &&
        twin.text[twin.text.length - 1 - suffix] === row.text[row.text.length - 1 - suffix]
      )
        suffix++;
      if (prefix + suffix >= twin.text.length - 4 && row.text.length - suffix - prefix >= 10) {
        row.attack = { start: prefix, end: row.text.length - suffix };
        break;
      }
    }
  }
  return rows;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
