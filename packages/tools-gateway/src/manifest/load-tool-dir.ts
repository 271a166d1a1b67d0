import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ToolManifest } from '@agentd/spec';
import { type FSWatcher, watch } from 'chokidar';
import { formatProblems, validateManifest } from './validate-manifest.js';

export interface LoadedManifest {
  file: string;
  manifest: ToolManifest;
}

/** A manifest that was rejected, with every problem found in it. */
export interface RejectedManifest {
  file: string;
  error: string;
}

export interface ToolDirContents {
  loaded: LoadedManifest[];
  rejected: RejectedManifest[];
}

/**
 * Reads every `*.json` manifest in a directory. A bad one is rejected with an
 * error naming the file, the field and the problem; the others load as usual.
 * Two manifests with one name: the first by file name wins, the other is rejected.
 */
export async function loadToolDir(dir: string): Promise<ToolDirContents> {
  const files = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
  const loaded: LoadedManifest[] = [];
  const rejected: RejectedManifest[] = [];
  const names = new Map<string, string>();
  for (const name of files) {
    const file = join(dir, name);
    const result = await readManifest(file);
    if ('error' in result) {
      rejected.push(result);
      continue;
    }
    const owner = names.get(result.manifest.name);
    if (owner) {
      rejected.push({
        file,
        error: `${file}: name: '${result.manifest.name}' is already defined by ${owner}`,
      });
      continue;
    }
    names.set(result.manifest.name, file);
    loaded.push(result);
  }
  return { loaded, rejected };
}

export async function readManifest(file: string): Promise<LoadedManifest | RejectedManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { file, error: `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { file, error: `${file}: is not valid JSON (${(error as Error).message.split('\n')[0]})` };
  }
  const check = validateManifest(value);
  if (!check.ok) return { file, error: `${file}: ${formatProblems(check.problems)}` };
  return { file, manifest: check.manifest };
}

/**
 * Watches a tool directory and calls `onChange` with its whole contents after
 * any manifest is added, changed or removed (debounced). Returns the stop function.
 */
export function watchToolDir(
  dir: string,
  onChange: (contents: ToolDirContents) => void,
  options: { debounceMs?: number; onError?: (error: unknown) => void } = {},
): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      loadToolDir(dir).then(onChange, (error) => options.onError?.(error));
    }, options.debounceMs ?? 100);
  };
  const watcher: FSWatcher = watch(dir, {
    ignoreInitial: true,
    depth: 0,
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 },
  });
  watcher
    .on('add', reload)
    .on('change', reload)
    .on('unlink', reload)
    .on('error', (error) => options.onError?.(error));
  return async () => {
    if (timer) clearTimeout(timer);
    await watcher.close();
  };
}
