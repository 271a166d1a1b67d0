import type { Services } from '../services.js';
import { appliedMigrationVersion, latestMigrationVersion } from '../storage/migrate.js';

export interface Readiness {
  ready: boolean;
  /** Each dependency, `ok` (migrations: `at N`) or what is wrong with it. */
  checks: Record<string, string>;
}

/**
 * Whether this process can do its work: the database reachable and migrated,
 * and in scaled mode Redis (live events and cancels) and the run queue.
 * Every outage is named, not only the first. A process stopping (draining
 * its runs after SIGTERM) is not ready either, so a load balancer sends it
 * no more work.
 */
export async function readiness(services: Pick<Services, 'db' | 'backbone' | 'runs'>): Promise<Readiness> {
  const [database, backbone] = await Promise.all([databaseReadiness(services), services.backbone.checks()]);
  const draining = services.runs.draining;
  const ready = !draining && database.ready && Object.values(backbone).every((value) => value === 'ok');
  const stopping: Record<string, string> = draining
    ? { draining: 'stopping: finishing or handing back its runs' }
    : {};
  return { ready, checks: { ...database.checks, ...backbone, ...stopping } };
}

async function databaseReadiness({ db }: Pick<Services, 'db'>): Promise<Readiness> {
  try {
    const applied = await appliedMigrationVersion(db);
    const latest = latestMigrationVersion();
    if (applied < latest) return { ready: false, checks: { migrations: `at ${applied} of ${latest}` } };
    return { ready: true, checks: { database: 'ok', migrations: `at ${applied}` } };
  } catch {
    return { ready: false, checks: { database: 'unreachable' } };
  }
}
