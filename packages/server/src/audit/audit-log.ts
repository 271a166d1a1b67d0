import type { Database, Queryable } from '../storage/database.js';
import { type BrokenLink, ChainWalker } from './audit-chain.js';
import type { AuditEventInput, AuditRecord } from './audit-event.js';
import { AUDIT_COLUMNS, type AuditRow, toRecord } from './audit-rows.js';
import { APPEND, CHAIN_MOVED, LOCK_HEADS } from './audit-sql.js';
import { chainRecords } from './chain-records.js';
import { type ChainTip, ChainTips } from './chain-tips.js';

/** Where a tenant's chain stands: its last sequence and hash. */
export interface ChainHead {
  tenant_id: string;
  sequence: number | string;
  hash: string;
}

/** The tenants whose heads events need, as `lockHeadsCte`'s parameter. */
export function tenantsOf(events: readonly AuditEventInput[]): string {
  return JSON.stringify(tenantIds(events));
}

function tenantIds(events: readonly AuditEventInput[]): string[] {
  return [...new Set(events.map((event) => event.tenantId))].sort();
}

/** Events chained onto known heads, for a statement with `chainedAppendCtes` to append. */
export interface ChainedAppend {
  /** The rows, the CTEs' `rows` parameter. */
  rows: string;
  /** Each head's move, the CTEs' `moves` parameter. */
  moves: string;
  records: AuditRecord[];
}

/** Rows verified per read. */
const VERIFY_PAGE = 1000;

/** What `verify` found. */
export interface ChainVerification {
  object: 'audit_chain.verification';
  valid: boolean;
  /** Links checked and found sound, from the first. */
  events_verified: number;
  /** The chain's recorded end, when the tenant has one. */
  head: { sequence: number; hash: string } | null;
  /** The first broken link. */
  broken: BrokenLink | null;
}

/**
 * The audit log: append-only, hash-chained per tenant (ADR-0021).
 *
 * Other parts of agentd record events with `record(tx, events)` inside the
 * transaction of the change they describe, so the change and its audit
 * event commit or roll back together; `append(events)` opens a transaction
 * of its own, for events that record no write (a login, a refused token).
 * The hot paths (a run's event batches, new responses) append in the one
 * statement that writes their change (`appendChained`), without a
 * transaction or a lock held between round trips.
 */
export class AuditLog {
  private readonly tips = new ChainTips();

  constructor(private readonly db: Database) {}

  /**
   * Appends events to their tenants' chains within `tx`. The chain heads of
   * the tenants involved stay locked until `tx` ends: keep the rest of the
   * transaction short.
   */
  async record(tx: Queryable, events: AuditEventInput | readonly AuditEventInput[]): Promise<AuditRecord[]> {
    const inputs = Array.isArray(events) ? events : [events as AuditEventInput];
    if (inputs.length === 0) return [];
    const heads = await tx.query<ChainHead>(LOCK_HEADS, [tenantsOf(inputs)]);
    return this.appendAt(tx, heads, inputs);
  }

  /**
   * Appends events to chains whose heads `tx` already holds (taken by a
   * statement with `lockHeadsCte`, for every tenant of the events).
   */
  async appendAt(
    tx: Queryable,
    heads: readonly ChainHead[],
    inputs: readonly AuditEventInput[],
  ): Promise<AuditRecord[]> {
    if (inputs.length === 0) return [];
    const tips = new Map(
      heads.map((head) => [head.tenant_id, { sequence: Number(head.sequence), hash: head.hash }]),
    );
    const { records, rows } = chainRecords(tips, inputs);
    await tx.query(APPEND, [rows]);
    // A guess until `tx` commits: a rolled-back one leaves a tip the next chained append finds stale.
    for (const [tenantId, tip] of tips) this.tips.advance(tenantId, tip);
    return records;
  }

  /**
   * Appends events with the caller's one statement: `write` runs it with
   * `chainedAppendCtes` over the rows and moves given. The events are
   * chained onto the heads this process last saw. Resolves undefined, with
   * nothing written, when a head is not known here or has moved (or the
   * caller's condition failed): the caller then writes the locked way
   * (`record`).
   *
   * PostgreSQL runs statements side by side, so this process's chained
   * appends of a tenant go one at a time (one chained onto another still in
   * flight would find its head not yet moved). Embedded PGlite runs them one
   * after another in the order sent: each is chained onto the one before
   * while that is still in flight, and `write` must send its statement
   * before its first await.
   */
  async appendChained<T>(
    events: readonly AuditEventInput[],
    write: (append: ChainedAppend) => Promise<T>,
  ): Promise<T | undefined> {
    const tenants = tenantIds(events);
    if (this.db.dialect === 'pglite') return this.appendOnTips(tenants, events, write);
    return this.tips.exclusive(tenants, () => this.appendOnTips(tenants, events, write));
  }

  private async appendOnTips<T>(
    tenants: readonly string[],
    events: readonly AuditEventInput[],
    write: (append: ChainedAppend) => Promise<T>,
  ): Promise<T | undefined> {
    const from = new Map<string, ChainTip>();
    for (const tenantId of tenants) {
      const tip = this.tips.get(tenantId);
      if (!tip) return undefined;
      from.set(tenantId, tip);
    }
    const to = new Map(from);
    const { records, rows } = chainRecords(to, events);
    const moves = tenants.map((tenantId) => ({
      tenant_id: tenantId,
      from_sequence: from.get(tenantId)?.sequence,
      from_hash: from.get(tenantId)?.hash,
      sequence: to.get(tenantId)?.sequence,
      hash: to.get(tenantId)?.hash,
    }));
    // The next append chains onto these while they are written; a failed write forgets them.
    for (const [tenantId, tip] of to) this.tips.advance(tenantId, tip);
    try {
      return await write({ rows, moves: JSON.stringify(moves), records });
    } catch (error) {
      for (const tenantId of tenants) this.tips.forget(tenantId);
      if ((error as { code?: unknown }).code === CHAIN_MOVED) return undefined;
      throw error;
    }
  }

  /** Appends events in a transaction of their own. */
  append(events: AuditEventInput | readonly AuditEventInput[]): Promise<AuditRecord[]> {
    return this.db.transaction((tx) => this.record(tx, events));
  }

  /**
   * Walks a tenant's chain from its first event to its head, recomputing
   * every hash, and names the first broken link: an edited row
   * (hash_mismatch), a row that does not follow the one before
   * (prev_hash_mismatch), a deleted one (missing).
   */
  async verify(tenantId: string): Promise<ChainVerification> {
    const [headRow] = await this.db.query<{ sequence: number | string; hash: string }>(
      'SELECT sequence, hash FROM audit_chain_heads WHERE tenant_id = $1',
      [tenantId],
    );
    const head = headRow ? { sequence: Number(headRow.sequence), hash: headRow.hash } : null;
    const walker = new ChainWalker();
    let after = 0;
    while (head && after < head.sequence) {
      const rows = await this.db.query<AuditRow>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE tenant_id = $1 AND sequence > $2 AND sequence <= $3
         ORDER BY sequence LIMIT ${VERIFY_PAGE}`,
        [tenantId, after, head.sequence],
      );
      if (!walker.check(rows.map(toRecord)) || rows.length < VERIFY_PAGE) break;
      after = Number(rows.at(-1)?.sequence);
    }
    const broken = walker.end(head);
    return {
      object: 'audit_chain.verification',
      valid: broken === null,
      events_verified: walker.verified,
      head,
      broken,
    };
  }
}
