import { UNFINISHED_STATUSES } from './run-leases.js';
import type { SqlClient } from './sql-client.js';

/**
 * Ends every lease on an unfinished run, so that all of them can be claimed
 * at once. Only for a process that knows it is the only one (embedded mode
 * at start, under the data directory's lock): the runs a stopped or killed
 * process held are resumed without waiting for their leases to run out.
 */
export async function takeOverLeases(sql: SqlClient): Promise<void> {
  await sql.query(
    `UPDATE responses SET lease_expires_at = now()
      WHERE status IN ${UNFINISHED_STATUSES} AND lease_owner IS NOT NULL AND lease_expires_at > now()`,
    [],
  );
}
