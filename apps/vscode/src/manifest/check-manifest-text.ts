import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { ManifestChecker, SchemaProblem } from './manifest-checker.js';

export interface Position {
  /** 0-based, as VS Code counts. */
  line: number;
  character: number;
}

/** A problem of a manifest file, where the editor should underline it. */
export interface LocatedProblem {
  /** The field as a dotted path (`adapter.url`, `capabilities[1].name`), empty for the whole file. */
  field: string;
  message: string;
  start: Position;
  end: Position;
}

export interface TextCheckOptions {
  /** `rules`: only what the schema cannot say (for files VS Code already checks against the schema). */
  only?: 'rules';
}

/** Checks a manifest file's text: JSON syntax first, then the schema and the rules, each at its field. */
export function checkManifestText(
  text: string,
  checker: ManifestChecker,
  options: TextCheckOptions = {},
): LocatedProblem[] {
  const lines = lineStarts(text);
  const at = (offset: number): Position => position(lines, offset);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || root === undefined) {
    if (options.only === 'rules') return [];
    const first = errors[0];
    const offset = first?.offset ?? 0;
    return [
      {
        field: '',
        message: `is not valid JSON (${first ? printParseErrorCode(first.error) : 'empty'})`,
        start: at(offset),
        end: at(offset + (first?.length ?? 0)),
      },
    ];
  }
  const value = JSON.parse(text) as unknown;
  const problems = options.only === 'rules' ? checker.ruleProblems(value) : checker.problems(value);
  return problems.map((problem) => locate(problem, root, at));
}

function locate(problem: SchemaProblem, root: Node, at: (offset: number) => Position): LocatedProblem {
  // The deepest node that exists along the path: a missing field is shown on its parent.
  let node: Node | undefined;
  for (let depth = problem.path.length; depth >= 0 && !node; depth -= 1) {
    node = findNodeAtLocation(root, problem.path.slice(0, depth));
  }
  const target = node ?? root;
  // A property's value node: underline the key (its parent's first child) for readability.
  const key = target.parent?.type === 'property' ? target.parent.children?.[0] : undefined;
  const span = key ?? target;
  return {
    field: dotted(problem.path),
    message: problem.message,
    start: at(span.offset),
    // A whole object or array would underline a screenful: its first character is enough.
    end: at(span.offset + (span === key || !['object', 'array'].includes(span.type) ? span.length : 1)),
  };
}

/** `['capabilities', 1, 'name']` → `capabilities[1].name` (the server's way of naming fields). */
export function dotted(path: (string | number)[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index += 1) if (text[index] === '\n') starts.push(index + 1);
  return starts;
}

function position(starts: number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, character: offset - starts[low]! };
}
