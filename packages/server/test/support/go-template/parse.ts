import { lex } from './lex.js';
import { type Token, tokenize } from './tokens.js';

/** An operand: a field chain on dot or on a variable, a constant, a function name, or a parenthesised pipeline. */
export type Operand =
  | { kind: 'field'; base: string | null; path: string[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'ident'; name: string }
  | { kind: 'pipe'; pipe: Pipe };

/** `$a, $b := cmd | cmd`: the declared (or assigned) variables and the commands. */
export interface Pipe {
  vars: string[];
  assign: boolean;
  commands: Operand[][];
  where: string;
}

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipe: Pipe }
  | { kind: 'if'; branches: { cond: Pipe; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'with'; pipe: Pipe; body: Node[]; otherwise: Node[] }
  | { kind: 'range'; pipe: Pipe; body: Node[]; otherwise: Node[] };

export interface ParsedTemplate {
  body: Node[];
  defines: Map<string, Node[]>;
}

const KEYWORDS = ['if', 'else', 'end', 'with', 'range', 'define'];

/** Parses a template into its body and the templates it defines. */
export function parseTemplate(source: string, name: string): ParsedTemplate {
  const pieces = lex(source, name);
  const defines = new Map<string, Node[]>();
  let at = 0;

  /** Nodes up to an `else` or `end` (returned as the stop), or the end of the file. */
  function parseList(): { nodes: Node[]; stop: string | null; stopTokens: Token[] } {
    const nodes: Node[] = [];
    while (at < pieces.length) {
      const piece = pieces[at++] as (typeof pieces)[number];
      if (piece.kind === 'text') {
        nodes.push({ kind: 'text', text: piece.text });
        continue;
      }
      const where = `${name}:${piece.line}`;
      const tokens = tokenize(piece.body, where);
      const first = tokens[0];
      const keyword = first?.kind === 'ident' && KEYWORDS.includes(first.name) ? first.name : null;
      if (keyword === 'end' || keyword === 'else')
        return { nodes, stop: keyword, stopTokens: tokens.slice(1) };
      if (keyword === 'if') nodes.push(parseIf(tokens.slice(1), where));
      else if (keyword === 'with' || keyword === 'range') {
        const pipe = parsePipe(tokens.slice(1), where);
        const { body, otherwise } = parseBranches(where);
        nodes.push({ kind: keyword, pipe, body, otherwise });
      } else if (keyword === 'define') {
        const label = tokens[1];
        if (label?.kind !== 'literal' || typeof label.value !== 'string')
          throw new Error(`${where}: define needs a name`);
        const inner = parseList();
        if (inner.stop !== 'end') throw new Error(`${where}: define "${label.value}" is not closed by end`);
        defines.set(label.value, inner.nodes);
      } else {
        nodes.push({ kind: 'output', pipe: parsePipe(tokens, where) });
      }
    }
    return { nodes, stop: null, stopTokens: [] };
  }

  function parseIf(condTokens: Token[], where: string): Node {
    const branches: { cond: Pipe; body: Node[] }[] = [];
    let cond = parsePipe(condTokens, where);
    while (true) {
      const inner = parseList();
      branches.push({ cond, body: inner.nodes });
      if (inner.stop === 'end') return { kind: 'if', branches, otherwise: [] };
      if (inner.stop !== 'else') throw new Error(`${where}: if is not closed by end`);
      const next = inner.stopTokens[0];
      if (next?.kind === 'ident' && next.name === 'if') {
        cond = parsePipe(inner.stopTokens.slice(1), where);
        continue;
      }
      const rest = parseList();
      if (rest.stop !== 'end') throw new Error(`${where}: else is not closed by end`);
      return { kind: 'if', branches, otherwise: rest.nodes };
    }
  }

  function parseBranches(where: string): { body: Node[]; otherwise: Node[] } {
    const inner = parseList();
    if (inner.stop === 'end') return { body: inner.nodes, otherwise: [] };
    if (inner.stop !== 'else' || inner.stopTokens.length > 0)
      throw new Error(`${where}: block is not closed by end`);
    const rest = parseList();
    if (rest.stop !== 'end') throw new Error(`${where}: else is not closed by end`);
    return { body: inner.nodes, otherwise: rest.nodes };
  }

  const { nodes, stop } = parseList();
  if (stop !== null) throw new Error(`${name}: unexpected {{ ${stop} }}`);
  return { body: nodes, defines };
}

/** A pipeline: optional `$v :=` (or `$k, $v :=`), then commands separated by `|`. */
export function parsePipe(tokens: Token[], where: string): Pipe {
  let rest = tokens;
  const vars: string[] = [];
  let assign = false;
  const declEnd = rest.findIndex((t) => t.kind === 'punct' && (t.value === ':=' || t.value === '='));
  if (
    declEnd !== -1 &&
    rest.slice(0, declEnd).every((t) => t.kind === 'field' || (t.kind === 'punct' && t.value === ','))
  ) {
    for (const t of rest.slice(0, declEnd)) if (t.kind === 'field' && t.base) vars.push(t.base);
    assign = (rest[declEnd] as Token & { kind: 'punct' }).value === '=';
    rest = rest.slice(declEnd + 1);
  }
  const commands: Operand[][] = [[]];
  let i = 0;
  const operand = (): Operand => {
    const token = rest[i++];
    if (!token) throw new Error(`${where}: expected an operand`);
    if (token.kind === 'punct') {
      if (token.value !== '(') throw new Error(`${where}: unexpected ${token.value}`);
      let depth = 1;
      const start = i;
      while (i < rest.length && depth > 0) {
        const t = rest[i++] as Token;
        if (t.kind === 'punct' && t.value === '(') depth++;
        if (t.kind === 'punct' && t.value === ')') depth--;
      }
      if (depth !== 0) throw new Error(`${where}: unclosed (`);
      return { kind: 'pipe', pipe: parsePipe(rest.slice(start, i - 1), where) };
    }
    return token;
  };
  while (i < rest.length) {
    const token = rest[i] as Token;
    if (token.kind === 'punct' && token.value === '|') {
      i++;
      commands.push([]);
      continue;
    }
    (commands.at(-1) as Operand[]).push(operand());
  }
  if (commands.some((command) => command.length === 0))
    throw new Error(`${where}: empty command in pipeline`);
  return { vars, assign, commands, where };
}
