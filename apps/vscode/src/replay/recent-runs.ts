/** The part of VS Code's Memento the history needs, so it runs (and is tested) without VS Code. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface RecentRun {
  id: string;
  /** What the run was about: the selection it ran, or where its id came from. */
  label: string;
  /** Unix milliseconds when it was added. */
  at: number;
}

const KEY = 'agentd.recentRuns';
const KEEP = 30;

/**
 * The runs this editor started or opened, newest first, per server. The API
 * has no list of a tenant's responses yet, so the history is the editor's own.
 */
export class RecentRuns {
  constructor(
    private readonly store: KeyValueStore,
    private readonly server: string,
    private readonly now: () => number = Date.now,
  ) {}

  list(): RecentRun[] {
    return this.all()[this.server] ?? [];
  }

  async add(id: string, label: string): Promise<void> {
    const all = this.all();
    const kept = (all[this.server] ?? []).filter((run) => run.id !== id);
    all[this.server] = [{ id, label, at: this.now() }, ...kept].slice(0, KEEP);
    await this.store.update(KEY, all);
  }

  private all(): Record<string, RecentRun[]> {
    return { ...(this.store.get<Record<string, RecentRun[]>>(KEY) ?? {}) };
  }
}
