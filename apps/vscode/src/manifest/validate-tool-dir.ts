import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkManifestText, type LocatedProblem } from './check-manifest-text.js';
import type { ManifestChecker } from './manifest-checker.js';

export interface FileReport {
  /** The file's absolute path. */
  file: string;
  /** The manifest's name, when the file has one. */
  name?: string;
  problems: LocatedProblem[];
}

export interface ToolDirReport {
  dir: string;
  files: FileReport[];
  /** Files without a problem. */
  valid: number;
}

const START = { line: 0, character: 0 };

/**
 * Checks a tool directory as the server's AGENTD_TOOL_DIR loader reads it:
 * every `*.json` file is a manifest, and two manifests may not share a name
 * (the first by file name wins, as on the server).
 */
export async function validateToolDir(dir: string, checker: ManifestChecker): Promise<ToolDirReport> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
  const owners = new Map<string, string>();
  const files: FileReport[] = [];
  for (const fileName of names) {
    const file = join(dir, fileName);
    const text = await readFile(file, 'utf8');
    const problems = checkManifestText(text, checker);
    const name = problems.length === 0 ? manifestName(text) : undefined;
    if (name !== undefined) {
      const owner = owners.get(name);
      if (owner) {
        problems.push({
          field: 'name',
          message: `'${name}' is already defined by ${owner}`,
          start: START,
          end: START,
        });
      } else owners.set(name, fileName);
    }
    files.push({ file, ...(name === undefined ? {} : { name }), problems });
  }
  return { dir, files, valid: files.filter((report) => report.problems.length === 0).length };
}

function manifestName(text: string): string | undefined {
  const value = JSON.parse(text) as { name?: unknown };
  return typeof value.name === 'string' ? value.name : undefined;
}

/** The report as lines of `file:line:column: field: problem`, the way compilers print. */
export function formatReport(report: ToolDirReport): string[] {
  return report.files.flatMap((file) =>
    file.problems.map(
      (problem) =>
        `${file.file}:${problem.start.line + 1}:${problem.start.character + 1}: ${problem.field || '(manifest)'}: ${problem.message}`,
    ),
  );
}
