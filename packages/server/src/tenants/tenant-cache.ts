/**
 * A value per tenant that a process keeps for `ttlMs` (a tenant's limits, its
 * network rules): a change made through another process arrives within it,
 * one made through this process at once (`forget`).
 */
export class TenantCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(private readonly ttlMs: number) {}

  async get(tenantId: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = await load();
    this.entries.set(tenantId, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  forget(tenantId: string): void {
    this.entries.delete(tenantId);
  }
}
