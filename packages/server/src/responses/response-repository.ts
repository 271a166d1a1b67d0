import { applyEvent, isTerminal } from '@agentd/core';
import { GroupCommit, RunLeaseLost, type RunStore, type StoredRun } from '@agentd/runtime';
import type { Item, ListPage, PageQuery, ResponseEvent, ResponseObject, SortOrder } from '@agentd/spec';
import type { AuditEventInput } from '../audit/audit-event.js';
import type { AuditLog, ChainHead } from '../audit/audit-log.js';
import { tenantsOf } from '../audit/audit-log.js';
import { auditEventsOfCreate, auditEventsOfRun, hasAuditedEvents } from '../audit/run-audit-events.js';
import { AgentdError, notFound } from '../errors.js';
import { responseClaimRead } from '../run-claim-read.js';
import type { Database } from '../storage/database.js';
import { toListPage } from '../storage/pagination.js';
import { auditEventsOfBatches, runActor } from './batch-audit-events.js';
import type { EventBatchRow, LoggedBatch, NewResponseRow, ResponseRow } from './response-rows.js';
import {
  INSERT_BATCHES,
  INSERT_BATCHES_AUDITED,
  INSERT_BATCHES_CHAINED,
  type ResponseInserts,
  responseInserts,
} from './response-sql.js';
import { RunCreators } from './run-creators.js';
import type { RunSpec } from './run-spec.js';

/** A stored response, as the runtime executes it. */
export type StoredResponse = StoredRun<RunSpec>;

/** A page of an event log: `after` is a sequence number. */
export interface EventPageQuery {
  after?: number | undefined;
  limit: number;
  order: SortOrder;
}

export interface NewResponse {
  snapshot: ResponseObject;
  input: Item[];
  history: Item[];
  runSpec: RunSpec;
  conversationId: string | null;
  previousResponseId: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
}

export interface ResponseRepositoryOptions {
  /**
   * Queued runs are created already claimed by this lease holder (embedded
   * mode, where the process that creates a run executes it): the insert is
   * the run's first claim, and the claim's own statement is saved.
   */
  claimCreated?: { owner: string; leaseMs: number };
  /**
   * Queued runs are added to graphile-worker's queue under this task in the
   * statement that inserts them (scaled mode): one round trip, and the run
   * and its job commit together.
   */
  enqueueTask?: string;
}

/**
 * Responses and their append-only event logs. Events are stored in batches
 * (one row per batch); the snapshot is written at creation and when the run
 * ends, and folded forward from the log in between. Creates and batches of
 * concurrent requests and runs are written together (group commit).
 */
export class ResponseRepository implements RunStore<RunSpec> {
  private readonly creates = new GroupCommit<NewResponseRow, boolean>((rows) => this.insertResponses(rows));
  private readonly batches = new GroupCommit<EventBatchRow, boolean>((rows) => this.writeBatches(rows));
  /** Who created each unfinished run this process created or read: its audit events' actor. */
  private readonly creators = new RunCreators();
  private readonly inserts: ResponseInserts;
  /** get's read, made by a worker's claim statement (RunStore.claimRead). */
  readonly claimRead = responseClaimRead((row, later) => this.toStored(row, later));

  /** `audit`: the audit log the run's events of consequence go to, in the transaction that logs them; none: no audit. */
  constructor(
    private readonly db: Database,
    private readonly audit?: AuditLog,
    private readonly options: ResponseRepositoryOptions = {},
  ) {
    this.inserts = responseInserts(options.enqueueTask);
  }

  /**
   * Inserts a response with its first event (response.created), in one
   * statement (shared with the creates of concurrent requests). With an
   * idempotency key already used, returns the earlier response instead
   * (`created: false`).
   */
  async create(
    tenantId: string,
    input: NewResponse,
  ): Promise<{ created: boolean; response: StoredResponse }> {
    const claim = input.snapshot.status === 'queued' ? this.options.claimCreated : undefined;
    const inserted = await this.creates.add({
      id: input.snapshot.id,
      tenant_id: tenantId,
      status: input.snapshot.status,
      snapshot: input.snapshot,
      input: input.input,
      history: input.history,
      run_spec: input.runSpec,
      conversation_id: input.conversationId,
      previous_response_id: input.previousResponseId,
      idempotency_key: input.idempotencyKey,
      request_hash: input.requestHash,
      ...(claim ? { lease_owner: claim.owner, lease_ms: claim.leaseMs } : {}),
    });
    if (inserted) {
      const response: StoredResponse = {
        id: input.snapshot.id,
        tenantId,
        snapshot: input.snapshot,
        input: input.input,
        history: input.history,
        runSpec: input.runSpec,
        conversationId: input.conversationId,
        lastSequence: 1,
        requestHash: input.requestHash,
        ...(this.options.enqueueTask !== undefined && input.snapshot.status === 'queued'
          ? { enqueued: true }
          : {}),
      };
      if (claim) {
        const { owner, leaseMs } = claim;
        const runId = response.id;
        // expiresAt on this process's clock: only read to judge how much of the lease is left.
        response.lease = {
          tenantId,
          runId,
          owner,
          generation: 1,
          claims: 1,
          expiresAt: Date.now() + leaseMs,
        };
      }
      return { created: true, response };
    }
    const [existing] = await this.db.query<ResponseRow>(
      'SELECT * FROM responses WHERE tenant_id = $1 AND idempotency_key = $2',
      [tenantId, input.idempotencyKey],
    );
    if (!existing)
      throw new AgentdError('internal', 'idempotency_lookup_failed', 'The idempotent response vanished.');
    return { created: false, response: await this.current(existing) };
  }

  /** Inserts responses with their response.created events; whether each was inserted (not an idempotent repeat). */
  private async insertResponses(rows: NewResponseRow[]): Promise<boolean[]> {
    const audit = this.audit;
    let ids: Set<string>;
    if (audit) {
      // Derived before any statement: the locked way's transaction holds the tenants' chain heads.
      const events = rows.flatMap((row) =>
        auditEventsOfCreate(row.tenant_id, row.snapshot, row.input, runActor(row.run_spec.principal)),
      );
      ids =
        (await audit.appendChained(events, async (append) => {
          const [result] = await this.db.query<{ ids: string[] | null }>(this.inserts.chained, [
            JSON.stringify(rows),
            append.moves,
            append.rows,
          ]);
          return new Set(result?.ids ?? []);
        })) ??
        (await this.db.transaction(async (tx) => {
          const [result] = await tx.query<{ ids: string[] | null; heads: ChainHead[] | null }>(
            this.inserts.audited,
            [JSON.stringify(rows), tenantsOf(events)],
          );
          const inserted = new Set(result?.ids ?? []);
          // An idempotent repeat records nothing.
          const recorded = events.filter((event) => inserted.has(event.resource?.id ?? ''));
          await audit.appendAt(tx, result?.heads ?? [], recorded);
          return inserted;
        }));
    } else {
      const inserted = await this.db.query<{ id: string }>(this.inserts.plain, [JSON.stringify(rows)]);
      ids = new Set(inserted.map((row) => row.id));
    }
    for (const row of rows) if (ids.has(row.id)) this.creators.set(row.id, row.run_spec.principal);
    return rows.map((row) => ids.has(row.id));
  }

  async get(tenantId: string, id: string): Promise<StoredResponse> {
    // The row and, for an unfinished run, the events logged after its snapshot: one round trip.
    const [row] = await this.db.query<ResponseRow & { later: ResponseEvent[][] | null }>(
      `SELECT r.*, CASE WHEN r.status IN ('queued', 'in_progress') THEN (
           SELECT coalesce(json_agg(b.events ORDER BY b.last_sequence), '[]'::json) FROM response_event_batches b
            WHERE b.tenant_id = r.tenant_id AND b.response_id = r.id AND b.last_sequence > r.snapshot_sequence)
         END AS later
         FROM responses r WHERE r.tenant_id = $1 AND r.id = $2`,
      [tenantId, id],
    );
    if (!row) throw notFound('response', id);
    if (isTerminal(row.snapshot.status)) return this.toStored(row, []);
    // A row whose status column says ended while its snapshot does not is read the long way.
    if (!row.later) return this.current(row);
    const after = Number(row.snapshot_sequence);
    const later = row.later.flat().filter((event) => event.sequence_number > after);
    return this.toStored(row, later);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const rows = await this.db.query('DELETE FROM responses WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      tenantId,
      id,
    ]);
    if (rows.length === 0) throw notFound('response', id);
  }

  /**
   * Appends a batch of numbered events. When the batch ends the run, the
   * final snapshot is stored with it, in the same statement. Concurrent
   * runs' batches are written together (see GroupCommit).
   */
  async appendEvents(
    tenantId: string,
    id: string,
    events: ResponseEvent[],
    snapshot: ResponseObject,
    generation?: number,
  ): Promise<void> {
    const first = events[0];
    const last = events.at(-1);
    if (!first || !last) return;
    const written = await this.batches.add({
      response_id: id,
      tenant_id: tenantId,
      first_sequence: first.sequence_number,
      last_sequence: last.sequence_number,
      events,
      ...(isTerminal(snapshot.status) ? { snapshot, status: snapshot.status } : {}),
      ...(generation === undefined ? {} : { generation }),
    });
    if (!written) throw new RunLeaseLost(id);
  }

  /** Whether each batch was written (a fenced one is refused when its lease was lost). */
  private async writeBatches(batches: EventBatchRow[]): Promise<boolean[]> {
    const audit = this.audit;
    // Most batches (text deltas, progress) hold nothing to audit: one statement, no audit work.
    const audited = audit ? batches.filter((batch) => hasAuditedEvents(batch.events)) : [];
    let logged: LoggedBatch[];
    if (audit && audited.length > 0) {
      const events = this.auditEventsOfKnownRuns(audited);
      logged =
        (events &&
          (await audit.appendChained(events, async (append) => {
            const [result] = await this.db.query<{ written: LoggedBatch[] | null }>(INSERT_BATCHES_CHAINED, [
              JSON.stringify(batches),
              append.moves,
              append.rows,
            ]);
            return result?.written ?? [];
          }))) ??
        (await this.db.transaction(async (tx) => {
          const [result] = await tx.query<{ written: LoggedBatch[] | null; heads: ChainHead[] | null }>(
            INSERT_BATCHES_AUDITED,
            [
              JSON.stringify(batches),
              JSON.stringify([...new Set(audited.map((batch) => batch.tenant_id))].sort()),
            ],
          );
          const written = result?.written ?? [];
          await audit.appendAt(tx, result?.heads ?? [], auditEventsOfBatches(audited, written));
          return written;
        }));
    } else {
      logged = await this.db.query<LoggedBatch>(INSERT_BATCHES, [JSON.stringify(batches)]);
    }
    for (const batch of batches) if (batch.snapshot) this.creators.delete(batch.response_id);
    const keys = new Set(logged.map((row) => `${row.response_id}/${row.first_sequence}`));
    return batches.map((batch) => keys.has(`${batch.response_id}/${batch.first_sequence}`));
  }

  /** The audit events of the batches, when this process knows who created each of their runs. */
  private auditEventsOfKnownRuns(batches: EventBatchRow[]): AuditEventInput[] | undefined {
    const events: AuditEventInput[] = [];
    for (const batch of batches) {
      const creator = this.creators.get(batch.response_id);
      if (creator === undefined) return undefined;
      events.push(...auditEventsOfRun(batch.tenant_id, batch.response_id, batch.events, runActor(creator)));
    }
    return events;
  }

  /** The events after sequence number `after`, in order. */
  async events(tenantId: string, id: string, after: number): Promise<ResponseEvent[]> {
    const rows = await this.db.query<{ events: ResponseEvent[] }>(
      `SELECT events FROM response_event_batches
       WHERE tenant_id = $1 AND response_id = $2 AND last_sequence > $3 ORDER BY last_sequence`,
      [tenantId, id, after],
    );
    return rows.flatMap((row) => row.events).filter((event) => event.sequence_number > after);
  }

  /**
   * A page of the event log: the events after sequence number `after` (before
   * it, with `order: 'desc'`; from the start or the end without it). The
   * cursors (`first_id`, `last_id`) are sequence numbers.
   */
  async eventPage(tenantId: string, id: string, page: EventPageQuery): Promise<ListPage<ResponseEvent>> {
    const asc = page.order === 'asc';
    const rows = await this.db.query<{ event: ResponseEvent }>(
      `SELECT e.event FROM response_event_batches b, json_array_elements(b.events) AS e(event)
       WHERE b.tenant_id = $1 AND b.response_id = $2
         AND ($3::int IS NULL OR b.${asc ? 'last_sequence >' : 'first_sequence <'} $3::int)
         AND ($3::int IS NULL OR (e.event->>'sequence_number')::int ${asc ? '>' : '<'} $3::int)
       ORDER BY (e.event->>'sequence_number')::int ${asc ? 'ASC' : 'DESC'} LIMIT $4`,
      [tenantId, id, page.after ?? null, page.limit + 1],
    );
    return toListPage(
      rows.map((row) => row.event),
      page.limit,
      (event) => String(event.sequence_number),
    );
  }

  /**
   * Responses left queued or in progress, in every tenant: the one cross-tenant
   * read, used only at start to resume runs a stopped process left behind.
   */
  async listUnfinished(): Promise<StoredResponse[]> {
    const rows = await this.db.query<ResponseRow>(
      "SELECT * FROM responses WHERE status IN ('queued', 'in_progress') ORDER BY id",
    );
    return Promise.all(rows.map((row) => this.current(row)));
  }

  /** How many model turns a response has finished. */
  async countSteps(tenantId: string, id: string): Promise<number> {
    const events = await this.events(tenantId, id, 0);
    return events.filter((event) => event.type === 'response.model_call.completed').length;
  }

  async listInputItems(tenantId: string, id: string, page: PageQuery): Promise<ListPage<Item>> {
    const stored = await this.get(tenantId, id);
    const items = page.order === 'asc' ? [...stored.input] : [...stored.input].reverse();
    const start = page.after === undefined ? 0 : items.findIndex((item) => item.id === page.after) + 1;
    if (page.after !== undefined && start === 0) {
      throw new AgentdError(
        'invalid_request',
        'invalid_cursor',
        `No input item '${page.after}' in response '${id}'.`,
        {
          param: 'after',
        },
      );
    }
    return toListPage(items.slice(start, start + page.limit + 1), page.limit);
  }

  /** The row's snapshot folded forward with the events logged after it. */
  private async current(row: ResponseRow): Promise<StoredResponse> {
    const later = isTerminal(row.snapshot.status)
      ? []
      : await this.events(row.tenant_id, row.id, row.snapshot_sequence);
    return this.toStored(row, later);
  }

  private toStored(row: ResponseRow, later: ResponseEvent[]): StoredResponse {
    if (!isTerminal(row.snapshot.status)) this.creators.set(row.id, row.run_spec.principal);
    return {
      id: row.id,
      tenantId: row.tenant_id,
      snapshot: later.reduce<ResponseObject>(applyEvent, row.snapshot),
      input: row.input,
      history: row.history,
      runSpec: row.run_spec,
      conversationId: row.conversation_id,
      lastSequence: later.at(-1)?.sequence_number ?? Number(row.snapshot_sequence),
      requestHash: row.request_hash,
    };
  }
}
