import type { SafetyPhase } from '@agentd/spec';
import type { Row } from './dataset.js';
import { percentile } from './metrics.js';

/** Texts of exactly `length` characters, made of rows of both labels joined one after another. */
export function longTexts(rows: readonly Row[], count: number, length: number): string[] {
  const texts: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    let text = '';
    while (text.length < length) text += `${rows[at++ % rows.length]?.text}\n\n`;
    texts.push(text.slice(0, length));
  }
  return texts;
}

export interface Latency {
  cpu: { p50: number; p99: number };
  wall: { p50: number; p99: number };
}

/**
 * p50 and p99 of one phase's time per text, in ms, after a warm-up pass: CPU
 * time of this process (what the phase costs on one core, even on a busy
 * machine) and wall time (what a caller waits here and now).
 */
export async function phaseLatency(phase: SafetyPhase, texts: readonly string[]): Promise<Latency> {
  for (const text of texts) await phase.check({ text, surface: 'tool_output' }, []);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let round = 0; round < 3; round++)
    for (const text of texts) {
      const before = process.cpuUsage();
      const started = performance.now();
      await phase.check({ text, surface: 'tool_output' }, []);
      wall.push(performance.now() - started);
      const { user, system } = process.cpuUsage(before);
      cpu.push((user + system) / 1000);
    }
  return {
    cpu: { p50: percentile(cpu, 50), p99: percentile(cpu, 99) },
    wall: { p50: percentile(wall, 50), p99: percentile(wall, 99) },
  };
}
