import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditRecord } from './audit-event.js';

/** The `prev_hash` of a tenant's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of one link: SHA-256, in hex, of the RFC 8785 (JCS) canonical
 * JSON of every field of the event and the hash of the one before it. JCS
 * fixes key order, number and string forms, so anyone can recompute it
 * from an export with any JCS implementation.
 */
export function linkHash(record: Omit<AuditRecord, 'hash'>): string {
  const canonical = canonicalize({
    tenant_id: record.tenantId,
    sequence: record.sequence,
    id: record.id,
    type: record.type,
    effective_at: record.effectiveAt,
    actor: record.actor,
    resource: record.resource,
    data: record.data,
    prev_hash: record.prevHash,
  });
  if (canonical === undefined) throw new Error('An audit event has no canonical form.');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Why a link is broken. */
export type BrokenReason =
  | 'missing' // the sequence skips: a row was deleted
  | 'prev_hash_mismatch' // the row does not follow the one before it
  | 'hash_mismatch' // the row's content is not what was hashed: it was edited
  | 'head_mismatch'; // the chain and its recorded head (last sequence and hash) disagree

export interface BrokenLink {
  /** The first sequence number where the chain does not hold. */
  sequence: number;
  /** The id of the row at that place, when there is one. */
  id: string | null;
  reason: BrokenReason;
}

/**
 * Walks a chain in order, one page of rows at a time, and names the first
 * broken link. Feed it with `check`, then ask `end` with the head's sequence.
 */
export class ChainWalker {
  private expected = 1;
  private prevHash = GENESIS_HASH;
  broken: BrokenLink | null = null;

  /** Checks the next rows; false once a link is broken. */
  check(rows: readonly AuditRecord[]): boolean {
    for (const row of rows) {
      if (this.broken) return false;
      if (row.sequence !== this.expected) {
        this.broken = { sequence: this.expected, id: null, reason: 'missing' };
      } else if (row.prevHash !== this.prevHash) {
        this.broken = { sequence: row.sequence, id: row.id, reason: 'prev_hash_mismatch' };
      } else if (linkHash(row) !== row.hash) {
        this.broken = { sequence: row.sequence, id: row.id, reason: 'hash_mismatch' };
      } else {
        this.expected++;
        this.prevHash = row.hash;
      }
    }
    return this.broken === null;
  }

  /** How many links held. */
  get verified(): number {
    return this.expected - 1;
  }

  /** Checks the chain ends at its head (none: the tenant never recorded anything). */
  end(head: { sequence: number; hash: string } | null): BrokenLink | null {
    if (this.broken) return this.broken;
    const sequence = head?.sequence ?? 0;
    if (this.verified < sequence) {
      // Rows at the end were deleted.
      this.broken = { sequence: this.verified + 1, id: null, reason: 'missing' };
    } else if (this.verified > sequence || (head?.hash ?? GENESIS_HASH) !== this.prevHash) {
      // Rows were added past the head, or the head was rewritten.
      this.broken = { sequence: Math.min(this.verified, sequence + 1), id: null, reason: 'head_mismatch' };
    }
    return this.broken;
  }
}
