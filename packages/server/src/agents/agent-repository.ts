import type { ListPage, PageQuery } from '@agentd/spec';
import type {
  Agent,
  AgentDefinition,
  AgentVersion,
  CreateAgentInput,
  UpdateAgentInput,
} from '@agentd/spec/wire';
import { AgentdError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Database, Queryable } from '../storage/database.js';
import { toUnixSeconds } from '../storage/pagination.js';
import { tenantTable } from '../tenants/tenant-table.js';
import { versionPage } from '../tenants/version-page.js';

interface AgentRow {
  id: string;
  name: string;
  version: number;
  definition: AgentDefinition;
  created_at: Date;
  updated_at: Date;
}

interface AgentVersionRow {
  agent_id: string;
  name: string;
  version: number;
  definition: AgentDefinition;
  created_at: Date;
}

const toAgent = (row: AgentRow): Agent => ({
  id: row.id,
  object: 'agent',
  name: row.name,
  version: row.version,
  created_at: toUnixSeconds(row.created_at),
  updated_at: toUnixSeconds(row.updated_at),
  ...definitionOf(row.definition),
});

const toVersion = (row: AgentVersionRow): AgentVersion => ({
  object: 'agent.version',
  id: row.agent_id,
  name: row.name,
  version: row.version,
  created_at: toUnixSeconds(row.created_at),
  ...definitionOf(row.definition),
});

function definitionOf(input: Omit<CreateAgentInput, 'name'> | AgentDefinition): AgentDefinition {
  return {
    description: input.description ?? null,
    instructions: input.instructions ?? null,
    model: input.model ?? null,
    tools: input.tools,
    tool_choice: input.tool_choice,
    max_steps: input.max_steps,
    model_settings: input.model_settings,
    metadata: input.metadata,
    safety: input.safety,
    memory: input.memory,
  };
}

function nameTaken(name: string): AgentdError {
  return new AgentdError('conflict', 'agent_name_taken', `An agent named '${name}' already exists.`, {
    param: 'name',
  });
}

const agents = tenantTable({ name: 'agents', noun: 'agent', present: toAgent });
const VERSIONS = { table: 'agent_versions', parentColumn: 'agent_id', present: toVersion };

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** Agents and their immutable versions. Every update writes a new version. */
export class AgentRepository {
  constructor(private readonly db: Database) {}

  async create(tenantId: string, input: CreateAgentInput): Promise<Agent> {
    const definition = definitionOf(input);
    const id = newId('agent');
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = await tx.query<AgentRow>(
          `INSERT INTO agents (id, tenant_id, name, version, definition) VALUES ($1, $2, $3, 1, $4::jsonb) RETURNING *`,
          [id, tenantId, input.name, JSON.stringify(definition)],
        );
        await insertVersion(tx, tenantId, row!);
        return toAgent(row!);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.name);
      throw error;
    }
  }

  get(tenantId: string, id: string): Promise<Agent> {
    return agents.get(this.db, tenantId, id);
  }

  async findByName(tenantId: string, name: string): Promise<Agent | undefined> {
    const [row] = await this.db.query<AgentRow>('SELECT * FROM agents WHERE tenant_id = $1 AND name = $2', [
      tenantId,
      name,
    ]);
    return row ? toAgent(row) : undefined;
  }

  list(tenantId: string, page: PageQuery): Promise<ListPage<Agent>> {
    return agents.list(this.db, tenantId, page);
  }

  async update(tenantId: string, id: string, patch: UpdateAgentInput): Promise<Agent> {
    try {
      return await this.db.transaction(async (tx) => {
        const [current] = await tx.query<AgentRow>(
          'SELECT * FROM agents WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
          [tenantId, id],
        );
        if (!current) throw notFound('agent', id);
        const { name, ...fields } = patch;
        const definition = definitionOf({ ...current.definition, ...stripUndefined(fields) });
        const [row] = await tx.query<AgentRow>(
          `UPDATE agents SET name = $3, definition = $4::jsonb, version = version + 1, updated_at = now()
           WHERE tenant_id = $1 AND id = $2 RETURNING *`,
          [tenantId, id, name ?? current.name, JSON.stringify(definition)],
        );
        await insertVersion(tx, tenantId, row!);
        return toAgent(row!);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(patch.name ?? '');
      throw error;
    }
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await agents.delete(this.db, tenantId, id);
  }

  async listVersions(tenantId: string, id: string, page: PageQuery): Promise<ListPage<AgentVersion>> {
    await this.get(tenantId, id);
    return versionPage(
      this.db,
      VERSIONS,
      tenantId,
      id,
      page,
      'after must be a version number for agent versions.',
    );
  }

  async getVersion(tenantId: string, id: string, version: number): Promise<AgentVersion> {
    const [row] = await this.db.query<AgentVersionRow>(
      'SELECT * FROM agent_versions WHERE tenant_id = $1 AND agent_id = $2 AND version = $3',
      [tenantId, id, version],
    );
    if (!row) {
      await this.get(tenantId, id);
      throw new AgentdError(
        'not_found',
        'agent_version_not_found',
        `Agent '${id}' has no version ${version}.`,
        {
          param: 'version',
        },
      );
    }
    return toVersion(row);
  }
}

async function insertVersion(tx: Queryable, tenantId: string, row: AgentRow): Promise<void> {
  await tx.query(
    `INSERT INTO agent_versions (tenant_id, agent_id, version, name, definition) VALUES ($1, $2, $3, $4, $5::jsonb)`,
    [tenantId, row.id, row.version, row.name, JSON.stringify(row.definition)],
  );
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
