import type { Logger } from 'pino';
import { MemoryTokenBuckets } from '../limits/token-bucket.js';
import { type AuditEventInput, SYSTEM_ACTOR } from './audit-event.js';
import type { AuditLog } from './audit-log.js';

export interface ThrottledAuditOptions {
  /** Events of one type recorded per tenant and window in this process; those over it are counted. */
  limit: number;
  windowSeconds: number;
  now?: () => number;
}

interface Suppressed {
  tenantId: string;
  type: string;
  count: number;
  since: number;
}

/**
 * The audit events anyone can cause at will: refused logins, policy
 * denials. Each is recorded in a transaction of its own, at most `limit` of
 * one type a window per tenant in this process (a token bucket, so a flood
 * cannot fill the log or hold the chain's head); what goes over is counted
 * and, one window after the first such event, recorded as one
 * `audit.suppressed` event naming the type and how many were left out.
 * Recording never throws: a failed write is logged.
 */
export class ThrottledAudit {
  private readonly buckets: MemoryTokenBuckets;
  private readonly suppressed = new Map<string, Suppressed>();
  private readonly now: () => number;

  constructor(
    private readonly audit: AuditLog,
    private readonly logger: Logger,
    private readonly options: ThrottledAuditOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.buckets = new MemoryTokenBuckets(this.now);
  }

  async record(event: AuditEventInput): Promise<void> {
    const key = `${event.tenantId}\u0000${event.type}`;
    const rate = { limit: this.options.limit, perSeconds: this.options.windowSeconds };
    if (this.buckets.take(key, rate).allowed) {
      await this.write(event);
      return;
    }
    const counted = this.suppressed.get(key);
    if (counted) {
      counted.count++;
      return;
    }
    this.suppressed.set(key, { tenantId: event.tenantId, type: event.type, count: 1, since: this.now() });
    setTimeout(() => void this.flush(key), this.options.windowSeconds * 1000).unref();
  }

  /** Records how many events of a type were left out since the first of them. */
  private async flush(key: string): Promise<void> {
    const counted = this.suppressed.get(key);
    if (!counted) return;
    this.suppressed.delete(key);
    await this.write({
      tenantId: counted.tenantId,
      type: 'audit.suppressed',
      actor: SYSTEM_ACTOR,
      data: {
        event_type: counted.type,
        count: counted.count,
        since: Math.floor(counted.since / 1000),
        until: Math.floor(this.now() / 1000),
        reason: `more than ${this.options.limit} ${counted.type} events in ${this.options.windowSeconds} s`,
      },
    });
  }

  private async write(event: AuditEventInput): Promise<void> {
    try {
      await this.audit.append(event);
    } catch (error) {
      this.logger.error({ err: error, type: event.type, tenant_id: event.tenantId }, 'could not audit');
    }
  }
}
