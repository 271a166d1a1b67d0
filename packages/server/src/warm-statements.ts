import { randomBytes } from 'node:crypto';
import { APPEND } from './audit/audit-sql.js';
import { PolicyRepository } from './policies/policy-repository.js';
import {
  INSERT_BATCHES,
  INSERT_BATCHES_AUDITED,
  INSERT_BATCHES_CHAINED,
  responseInserts,
} from './responses/response-sql.js';
import type { Services } from './services.js';

/** No tenant has this id (tenant ids are `tenant_<ulid>`): every read below finds nothing. */
const NO_TENANT = 'warm-up (no tenant)';
/** An empty JSON recordset: the write statements below insert, update and lock nothing. */
const NONE = '[]';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sends once each statement a first run sends, so that the database has
 * parsed and planned them (PGlite keeps each statement prepared by its
 * text, and loads a table's catalog entries at its first use) and the
 * repositories' code has run: a first run after a start otherwise paid this,
 * tens of milliseconds a statement under load. Nothing is read or written:
 * the reads ask for a tenant that does not exist and the writes take empty
 * recordsets, so no row, audit event or cache entry is left.
 */
export async function warmStatements(
  services: Pick<
    Services,
    'db' | 'apiKeys' | 'limits' | 'toolRepository' | 'networkPolicies' | 'safetySettings'
  >,
): Promise<void> {
  const reads: (() => Promise<unknown>)[] = [
    () => services.apiKeys.findBySecret(randomBytes(24).toString('hex')),
    () => services.apiKeys.touch(NO_TENANT),
    () => services.limits.tenantLimits.settings(NO_TENANT),
    () => new PolicyRepository(services.db).policySet(NO_TENANT),
    () => services.toolRepository.all(NO_TENANT),
    () => services.networkPolicies.rules(NO_TENANT),
    () => services.safetySettings.get(NO_TENANT),
  ];
  const inserts = responseInserts();
  const writes: [string, string[]][] = [
    [inserts.plain, [NONE]],
    [inserts.audited, [NONE, NONE]],
    [inserts.chained, [NONE, NONE, NONE]],
    [INSERT_BATCHES, [NONE]],
    [INSERT_BATCHES_AUDITED, [NONE, NONE]],
    [INSERT_BATCHES_CHAINED, [NONE, NONE, NONE]],
    [APPEND, [NONE]],
  ];
  // Each on its own: one that fails (a statement changed under a migration, say) leaves the others warm.
  for (const read of reads) {
    await read().catch(() => undefined);
    await turn();
  }
  for (const [sql, params] of writes) {
    await services.db.query(sql, params).catch(() => undefined);
    await turn();
  }
}
