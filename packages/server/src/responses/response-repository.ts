import { applyEvent, isTerminal } from '@agentd/core';
import type { Item, ListPage, PageQuery, ResponseEvent, ResponseObject } from '@agentd/spec';
import { AgentdError, notFound } from '../errors.js';
import type { Database } from '../storage/database.js';
import { toListPage } from '../storage/pagination.js';
import type { RunSpec } from './run-spec.js';

export interface StoredResponse {
  id: string;
  tenantId: string;
  /** The current response: the stored snapshot folded with any later events. */
  snapshot: ResponseObject;
  input: Item[];
  history: Item[];
  runSpec: RunSpec;
  conversationId: string | null;
  lastSequence: number;
  requestHash: string | null;
}

interface ResponseRow {
  id: string;
  tenant_id: string;
  snapshot: ResponseObject;
  snapshot_sequence: number;
  input: Item[];
  history: Item[];
  run_spec: RunSpec;
  conversation_id: string | null;
  request_hash: string | null;
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

/**
 * Responses and their append-only event logs. Events are stored in batches
 * (one row per write); the snapshot is written at creation and when the run
 * ends, and folded forward from the log in between.
 */
export class ResponseRepository {
  constructor(private readonly db: Database) {}

  /**
   * Inserts a response with its first event (response.created), in one
   * statement. With an idempotency key already used, returns the earlier
   * response instead (`created: false`).
   */
  async create(
    tenantId: string,
    input: NewResponse,
  ): Promise<{ created: boolean; response: StoredResponse }> {
    const created: ResponseEvent = { type: 'response.created', response: input.snapshot, sequence_number: 1 };
    const rows = await this.db.query<ResponseRow>(
      `WITH inserted AS (
         INSERT INTO responses (id, tenant_id, status, snapshot, snapshot_sequence, input, history, run_spec,
           conversation_id, previous_response_id, idempotency_key, request_hash)
         VALUES ($1, $2, $3, $4::json, 1, $5::json, $6::json, $7::json, $8, $9, $10, $11)
         ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING *
       ), logged AS (
         INSERT INTO response_event_batches (response_id, tenant_id, first_sequence, last_sequence, events)
         SELECT id, tenant_id, 1, 1, $12::json FROM inserted
       )
       SELECT * FROM inserted`,
      [
        input.snapshot.id,
        tenantId,
        input.snapshot.status,
        JSON.stringify(input.snapshot),
        JSON.stringify(input.input),
        JSON.stringify(input.history),
        JSON.stringify(input.runSpec),
        input.conversationId,
        input.previousResponseId,
        input.idempotencyKey,
        input.requestHash,
        JSON.stringify([created]),
      ],
    );
    if (rows[0]) return { created: true, response: { ...this.toStored(rows[0], []), lastSequence: 1 } };
    const [existing] = await this.db.query<ResponseRow>(
      'SELECT * FROM responses WHERE tenant_id = $1 AND idempotency_key = $2',
      [tenantId, input.idempotencyKey],
    );
    if (!existing)
      throw new AgentdError('internal', 'idempotency_lookup_failed', 'The idempotent response vanished.');
    return { created: false, response: await this.current(existing) };
  }

  async get(tenantId: string, id: string): Promise<StoredResponse> {
    const [row] = await this.db.query<ResponseRow>(
      'SELECT * FROM responses WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    if (!row) throw notFound('response', id);
    return this.current(row);
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
   * final snapshot is stored with it, in the same statement.
   */
  async appendEvents(
    tenantId: string,
    id: string,
    events: ResponseEvent[],
    snapshot: ResponseObject,
  ): Promise<void> {
    const first = events[0];
    const last = events.at(-1);
    if (!first || !last) return;
    const batch = [
      id,
      tenantId,
      first.sequence_number,
      last.sequence_number,
      JSON.stringify(events),
    ] as const;
    if (!isTerminal(snapshot.status)) {
      await this.db.query(
        `INSERT INTO response_event_batches (response_id, tenant_id, first_sequence, last_sequence, events)
         VALUES ($1, $2, $3, $4, $5::json)`,
        batch,
      );
      return;
    }
    await this.db.query(
      `WITH logged AS (
         INSERT INTO response_event_batches (response_id, tenant_id, first_sequence, last_sequence, events)
         VALUES ($1, $2, $3, $4, $5::json)
       )
       UPDATE responses SET snapshot = $6::json, snapshot_sequence = $4, status = $7, updated_at = now()
       WHERE tenant_id = $2 AND id = $1`,
      [...batch, JSON.stringify(snapshot), snapshot.status],
    );
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
