import type { FileCitationAnnotation, FileSearchResultEntry, Item, OutputItem } from '@agentd/spec';

/**
 * The passages the answer may cite as [n]: the results of the run's last
 * completed file_search_call, numbered from 1 as the tool showed them to the
 * model. Read from items, so a resumed or replayed run cites the same.
 */
export function fileCitationSources(items: readonly (Item | OutputItem)[]): FileSearchResultEntry[] {
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (item?.type === 'file_search_call' && item.status === 'completed') return item.results ?? [];
  }
  return [];
}

/** `[n]` not followed by `(` (a markdown link) and not part of `[n][m]` link references. */
const MARKER = /\[(\d{1,3})\](?![([])/g;

/**
 * File citations for an answer: each `[n]` marker that names one of the
 * passages. `index` is the position just after the marker, in UTF-16 code
 * units, where the citation applies; the passage's vector store and chunk
 * come from its result, so a client can find the exact chunk cited.
 */
export function findFileCitations(
  text: string,
  sources: readonly FileSearchResultEntry[],
): FileCitationAnnotation[] {
  if (sources.length === 0) return [];
  const found: FileCitationAnnotation[] = [];
  for (const match of text.matchAll(MARKER)) {
    const source = sources[Number(match[1]) - 1];
    if (!source) continue;
    found.push({
      type: 'file_citation',
      file_id: source.file_id,
      filename: source.filename,
      index: match.index + match[0].length,
      ...(source.vector_store_id === undefined ? {} : { vector_store_id: source.vector_store_id }),
      ...(source.chunk_index === undefined ? {} : { chunk_index: source.chunk_index }),
    });
  }
  return found;
}
