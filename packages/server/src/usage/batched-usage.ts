/** The unique violation a retried batch meets when its first attempt did commit. */
const UNIQUE_VIOLATION = '23505';

/** The usage rows a run's batch carries, kept until the batch is stored (see BatchedUsage.forBatch). */
interface Held<Row> {
  /** The batch's first sequence number: a retry of the same batch carries the same rows. */
  first: number;
  rows: Row[];
  /** The write in flight: settles when it does, either way. */
  attempt: Promise<void> | undefined;
  ended: (() => void) | undefined;
}

/**
 * The usage rows of a run's model calls, written in the statement of the
 * run's next event batch (ResponseRepository.appendEvents) instead of a
 * statement of their own that the run waited for before it went on. The
 * batch after a model call is written before the run's next model call reads
 * its budget (a turn with tool calls is stored before they run, a run's end
 * is stored before anyone hears of it), so what budgets and GET /v1/usage
 * count is unchanged once the run is seen to go on or end. A retried write
 * carries the same rows; a retry refused as a duplicate (its first attempt
 * committed) stored them with that attempt. Rows no batch stored by the end
 * of the run's execution here are written on their own (`settle`).
 */
export class BatchedUsage<Row> {
  private readonly parked = new Map<string, Row[]>();
  private readonly held = new Map<string, Held<Row>>();

  /** Set by the run store that writes the rows with its batches; until then nothing is parked. */
  carried = false;

  constructor(private readonly writeAlone: (rows: Row[]) => Promise<void>) {}

  /** Keeps a row of run `runId` for the run's next batch. */
  park(runId: string, row: Row): void {
    const rows = this.parked.get(runId);
    if (rows) rows.push(row);
    else this.parked.set(runId, [row]);
  }

  /**
   * The rows the write of the run's batch starting at `first` carries (none,
   * for most batches), and whether the write is a retry of that batch.
   */
  forBatch(runId: string, first: number): { rows: Row[]; retry: boolean } {
    const held = this.held.get(runId);
    const parked = this.parked.get(runId);
    if (!held && !parked) return { rows: [], retry: false };
    const retry = held?.first === first;
    this.parked.delete(runId);
    held?.ended?.();
    // A retry carries what its first attempt did; new rows wait for the next batch. Rows of an
    // earlier batch that was given up go with this one (the run writes its end after its last stored event).
    const rows = retry ? held.rows : [...(held?.rows ?? []), ...(parked ?? [])];
    if (retry && parked) this.parked.set(runId, parked);
    let ended!: () => void;
    const attempt = new Promise<void>((resolve) => {
      ended = resolve;
    });
    this.held.set(runId, { first, rows, attempt, ended });
    return { rows, retry };
  }

  /** The write of the batch at `first` committed (or a retry found it committed): its rows are stored. */
  stored(runId: string, first: number): void {
    const held = this.held.get(runId);
    if (held?.first !== first) return;
    this.held.delete(runId);
    held.ended?.();
  }

  /**
   * The write of the batch at `first` failed: its rows stay with it, for its
   * retry or `settle`; unless the write was a retry refused as a duplicate,
   * which says an earlier attempt stored the batch and its rows.
   */
  failed(runId: string, first: number, error: unknown, retry: boolean): void {
    if (retry && (error as { code?: unknown }).code === UNIQUE_VIOLATION) {
      this.stored(runId, first);
      return;
    }
    const held = this.held.get(runId);
    if (held?.first !== first) return;
    held.ended?.();
    held.attempt = undefined;
    held.ended = undefined;
  }

  /**
   * The run's rows are in the database once this resolves: a batch write in
   * flight is awaited, rows no batch stored are written on their own. Budgets
   * call it before they sum a run's usage; the run's store calls it when the
   * run's execution here ends.
   */
  async settle(runId: string): Promise<void> {
    await this.held.get(runId)?.attempt;
    const rows = [...(this.held.get(runId)?.rows ?? []), ...(this.parked.get(runId) ?? [])];
    this.held.delete(runId);
    this.parked.delete(runId);
    if (rows.length > 0) await this.writeAlone(rows);
  }
}
