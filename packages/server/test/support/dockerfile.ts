import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile: its keyword (upper case), its argument text, and its build stage. */
export interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/**
 * The instructions of a Dockerfile: continuation lines joined, comment lines
 * dropped (also inside a continued instruction, as Docker does), each
 * numbered by the FROM it follows.
 */
export function readDockerfile(path: string): Instruction[] {
  const instructions: Instruction[] = [];
  let stage = -1;
  let current = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^\s*#/.test(line)) continue;
    if (current === '' && line.trim() === '') continue;
    if (/\\\s*$/.test(line)) {
      current += `${line.replace(/\\\s*$/, '')} `;
      continue;
    }
    current += line;
    const match = current.trim().match(/^(\S+)\s*([\s\S]*)$/);
    current = '';
    if (!match) continue;
    const keyword = (match[1] as string).toUpperCase();
    if (keyword === 'FROM') stage++;
    instructions.push({ keyword, args: (match[2] as string).trim(), stage });
  }
  return instructions;
}

/** The instructions of the last stage: what the image is. */
export function finalStage(instructions: Instruction[]): Instruction[] {
  const last = Math.max(...instructions.map((i) => i.stage));
  return instructions.filter((i) => i.stage === last);
}

/** ENV's pairs, in KEY=VALUE form (values may be quoted). */
export function envPairs(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const raw = match[2] as string;
    env[match[1] as string] = raw.startsWith('"') ? JSON.parse(raw) : raw;
  }
  return env;
}
