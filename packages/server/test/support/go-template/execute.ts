import { FUNCTIONS } from './functions.js';
import type { Node, Operand, Pipe } from './parse.js';
import { field, print, truth } from './values.js';

/** Variables in scope: `$` is the data the template was called with. */
type Scope = Map<string, unknown>[];

/** Renders parsed templates: one instance holds every `define` of the chart. */
export class TemplateExecutor {
  constructor(private readonly defines: Map<string, Node[]>) {}

  /** Renders the named template (a `define`, or a file registered by its path) with `data` as dot. */
  include(name: string, data: unknown, where = name): string {
    const body = this.defines.get(name);
    if (!body) throw new Error(`${where}: no template "${name}"`);
    return this.run(body, data, [new Map([['$', data]])]);
  }

  private run(nodes: Node[], dot: unknown, scope: Scope): string {
    let out = '';
    for (const node of nodes) {
      if (node.kind === 'text') out += node.text;
      else if (node.kind === 'output') {
        const value = this.pipe(node.pipe, dot, scope);
        if (node.pipe.vars.length === 0) out += print(value, node.pipe.where);
      } else if (node.kind === 'if') {
        const branch = node.branches.find((b) => truth(this.pipe(b.cond, dot, scope)));
        out += this.run(branch ? branch.body : node.otherwise, dot, [...scope, new Map()]);
      } else if (node.kind === 'with') {
        const value = this.pipe(node.pipe, dot, scope);
        out += truth(value)
          ? this.run(node.body, value, [...scope, new Map()])
          : this.run(node.otherwise, dot, [...scope, new Map()]);
      } else {
        out += this.range(node, dot, scope);
      }
    }
    return out;
  }

  private range(node: Node & { kind: 'range' }, dot: unknown, scope: Scope): string {
    const { pipe } = node;
    const value = this.evalCommands(pipe, dot, scope);
    let entries: [unknown, unknown][];
    if (Array.isArray(value)) entries = value.map((item, i) => [BigInt(i), item]);
    else if (value !== null && typeof value === 'object') {
      // Go ranges over a map in the order of its sorted keys.
      entries = Object.keys(value)
        .sort()
        .map((key) => [key, (value as Record<string, unknown>)[key]]);
    } else if (value === null || value === undefined) entries = [];
    else throw new Error(`${pipe.where}: range can't iterate over ${String(value)}`);
    if (entries.length === 0) return this.run(node.otherwise, dot, [...scope, new Map()]);
    let out = '';
    for (const [key, item] of entries) {
      const frame = new Map<string, unknown>();
      if (pipe.vars.length === 1) frame.set(pipe.vars[0] as string, item);
      if (pipe.vars.length === 2) {
        frame.set(pipe.vars[0] as string, key);
        frame.set(pipe.vars[1] as string, item);
      }
      out += this.run(node.body, item, [...scope, frame]);
    }
    return out;
  }

  /** Evaluates a pipeline and performs its declaration or assignment. */
  private pipe(pipe: Pipe, dot: unknown, scope: Scope): unknown {
    const value = this.evalCommands(pipe, dot, scope);
    for (const name of pipe.vars) {
      if (pipe.assign) {
        const frame = [...scope].reverse().find((f) => f.has(name));
        if (!frame) throw new Error(`${pipe.where}: undefined variable ${name}`);
        frame.set(name, value);
      } else {
        (scope.at(-1) as Map<string, unknown>).set(name, value);
      }
    }
    return value;
  }

  private evalCommands(pipe: Pipe, dot: unknown, scope: Scope): unknown {
    let value: unknown;
    pipe.commands.forEach((command, i) => {
      value = this.command(command, dot, scope, pipe.where, i === 0 ? [] : [value]);
    });
    return value;
  }

  private command(command: Operand[], dot: unknown, scope: Scope, where: string, piped: unknown[]): unknown {
    const [head, ...rest] = command as [Operand, ...Operand[]];
    if (head.kind !== 'ident') {
      if (rest.length > 0 || piped.length > 0)
        throw new Error(`${where}: can't give arguments to a non-function`);
      return this.operand(head, dot, scope, where);
    }
    const args = () => [...rest.map((operand) => this.operand(operand, dot, scope, where)), ...piped];
    // and, or: Go evaluates their arguments only as far as it needs to.
    if (head.name === 'and' || head.name === 'or') {
      const operands = [
        ...rest.map((operand) => () => this.operand(operand, dot, scope, where)),
        ...piped.map((v) => () => v),
      ];
      let last: unknown;
      for (const next of operands) {
        last = next();
        if (truth(last) === (head.name === 'or')) return last;
      }
      return last;
    }
    if (head.name === 'include') {
      const [name, data] = args();
      if (typeof name !== 'string') throw new Error(`${where}: include needs a template name`);
      return this.include(name, data, where);
    }
    const fn = FUNCTIONS[head.name];
    if (!fn) throw new Error(`${where}: function "${head.name}" not defined`);
    return fn(where, ...args());
  }

  private operand(operand: Operand, dot: unknown, scope: Scope, where: string): unknown {
    if (operand.kind === 'literal') return operand.value;
    if (operand.kind === 'pipe') return this.evalCommands(operand.pipe, dot, scope);
    if (operand.kind === 'ident') throw new Error(`${where}: function ${operand.name} used as a value`);
    let value = dot;
    if (operand.base !== null) {
      const frame = [...scope].reverse().find((f) => f.has(operand.base as string));
      if (!frame) throw new Error(`${where}: undefined variable ${operand.base}`);
      value = frame.get(operand.base);
    }
    for (const name of operand.path) value = field(value, name, where);
    return value;
  }
}
