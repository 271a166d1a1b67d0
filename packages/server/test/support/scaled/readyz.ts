import type { AgentdProcess } from './agentd-process.js';

/** What a process's `/readyz` answers: its status and each check's word. */
export interface Ready {
  status: number;
  checks: Record<string, string>;
}

/** Asks `proc`'s `/readyz` once. */
export async function readyz(proc: AgentdProcess): Promise<Ready> {
  const response = await fetch(`${proc.url}/readyz`);
  return { status: response.status, checks: ((await response.json()) as Ready).checks };
}
