/** Merges header records left to right; a later name replaces an earlier one whatever its case. */
export function mergeHeaders(...records: (Record<string, string> | undefined)[]): Record<string, string> {
  const headers = new Headers();
  for (const record of records) {
    for (const [name, value] of Object.entries(record ?? {})) headers.set(name, value);
  }
  return Object.fromEntries(headers);
}
