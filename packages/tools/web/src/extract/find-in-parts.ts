export interface FindMatch {
  /** 1-based part number. */
  part: number;
  snippet: string;
}

export interface FindResult {
  total: number;
  matches: FindMatch[];
}

/** Case-insensitive search of the page's parts; each match with the text around it. */
export function findInParts(parts: readonly string[], query: string, limit = 10, context = 120): FindResult {
  const needle = query.trim().toLowerCase();
  const matches: FindMatch[] = [];
  let total = 0;
  if (needle === '') return { total, matches };
  parts.forEach((text, index) => {
    const haystack = text.toLowerCase();
    let at = haystack.indexOf(needle);
    while (at !== -1) {
      total++;
      if (matches.length < limit) {
        const start = Math.max(0, at - context);
        const end = Math.min(text.length, at + needle.length + context);
        const snippet = `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
        matches.push({ part: index + 1, snippet: snippet.replace(/\s+/g, ' ').trim() });
      }
      at = haystack.indexOf(needle, at + needle.length);
    }
  });
  return { total, matches };
}
