/**
 * A label whose values come from users (model and tool names): the first
 * `limit` distinct values are kept, later ones become `other`, so that a
 * client sending new names cannot grow the series without bound.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly limit = 100) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(value);
    return value;
  }
}
