import type { ToolScope } from '@agentd/core';
import type { FileSearchFunction } from '@agentd/tool-files';

/** Something a run may read: a stored file, or a vector store's passages. */
export interface ReadTarget {
  type: 'file' | 'vector_store';
  id: string;
}

/** A read the tenant's policies refused, and why (the reason names the policy). */
export interface WithheldRead extends ReadTarget {
  reason: string;
}

/**
 * Asks whether a run may read what a built-in tool is about to hand its
 * model (file_search passages, the code interpreter's files). The policies
 * implement it (`read_file`); each refusal is audited there.
 */
export interface FileReadGuard {
  /** Those of `targets` the run of `scope` may not read through `tool`, each with why. */
  withheld(scope: ToolScope, tool: string, targets: readonly ReadTarget[]): Promise<WithheldRead[]>;
}

const keyOf = (target: ReadTarget) => `${target.type}:${target.id}`;

/**
 * A file search that leaves out what the run may not read: a refused vector
 * store is not searched, and a passage of a refused file (or of a refused
 * store, when the run searches all of them) is dropped. `onWithheld` hears
 * of each refusal, to tell the model.
 */
export function guardedSearch(
  search: FileSearchFunction,
  guard: FileReadGuard,
  tool: string,
  onWithheld: (withheld: WithheldRead[]) => void = () => undefined,
): FileSearchFunction {
  return async (scope, query, options) => {
    let storeIds = options.vectorStoreIds;
    const checked = new Set<string>();
    if (storeIds) {
      const stores = storeIds.map((id): ReadTarget => ({ type: 'vector_store', id }));
      for (const store of stores) checked.add(keyOf(store));
      const refused = await guard.withheld(scope, tool, stores);
      if (refused.length > 0) {
        onWithheld(refused);
        const out = new Set(refused.map(keyOf));
        storeIds = storeIds.filter((id) => !out.has(keyOf({ type: 'vector_store', id })));
        if (storeIds.length === 0) return [];
      }
    }
    const hits = await search(scope, query, {
      ...options,
      ...(storeIds ? { vectorStoreIds: storeIds } : {}),
    });
    const targets = new Map<string, ReadTarget>();
    for (const hit of hits) {
      for (const target of [
        { type: 'vector_store', id: hit.vectorStoreId },
        { type: 'file', id: hit.fileId },
      ] satisfies ReadTarget[]) {
        if (!checked.has(keyOf(target))) targets.set(keyOf(target), target);
      }
    }
    const refused = targets.size > 0 ? await guard.withheld(scope, tool, [...targets.values()]) : [];
    if (refused.length === 0) return hits;
    onWithheld(refused);
    const out = new Set(refused.map(keyOf));
    return hits.filter(
      (hit) =>
        !out.has(keyOf({ type: 'file', id: hit.fileId })) &&
        !out.has(keyOf({ type: 'vector_store', id: hit.vectorStoreId })),
    );
  };
}

/** What the model reads of refused reads, one line each, so it neither retries nor guesses. */
export function withheldNote(withheld: readonly WithheldRead[], what: string): string {
  const seen = new Map(withheld.map((read) => [keyOf(read), read]));
  const lines = [...seen.values()].map(
    (read) => `- ${read.type === 'file' ? 'file' : 'vector store'} ${read.id}: ${read.reason}`,
  );
  return `The tenant's policies do not let this run read the following, so ${what}:\n${lines.join('\n')}`;
}
