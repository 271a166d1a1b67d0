import { type Agentd, PermissionDeniedError } from '@agentd/sdk';
import type { RecentRun } from './recent-runs.js';

/**
 * The tenant's most recent runs, newest first, from the server's audit log
 * (its `response.created` events, GET /v1/audit_events, which needs `audit:read`).
 * The API has no list of responses, and the audit log records every run
 * unless AGENTD_AUDIT_RUNS is off. A key without the permission gets an empty
 * list: the editor's own history still works.
 */
export async function serverRecentRuns(client: Agentd, limit = 20): Promise<RecentRun[]> {
  let page: Awaited<ReturnType<Agentd['auditEvents']['list']>>;
  try {
    page = await client.auditEvents.list({ 'event_types[]': ['response.created'], order: 'desc', limit });
  } catch (error) {
    if (error instanceof PermissionDeniedError) return [];
    throw error;
  }
  return page.data.flatMap((event): RecentRun[] => {
    // An audit event carries its details under its own type, as OpenAI's audit logs do.
    const data = (event['response.created'] ?? {}) as {
      response_id?: string;
      model?: string;
      agent?: { name?: string } | null;
    };
    if (!data.response_id) return [];
    const by = data.agent?.name ? `agent ${data.agent.name}` : `model ${data.model ?? 'unknown'}`;
    return [{ id: data.response_id, label: `${by} (server)`, at: event.effective_at * 1000 }];
  });
}

/** The server's runs and the editor's own, one entry per run, newest first. */
export function mergeRuns(server: RecentRun[], local: RecentRun[]): RecentRun[] {
  const seen = new Set<string>();
  return [...local, ...server]
    .sort((a, b) => b.at - a.at)
    .filter((run) => !seen.has(run.id) && seen.add(run.id));
}
