import fc from 'fast-check';
import type { Caller, FuzzWorld } from './fuzz-world.js';
import { type FuzzRequest, type Mutation, mutationsOf } from './mutations.js';
import type { Operation } from './openapi-operations.js';
import { arbitraryFor, type ValueContext } from './schema-arbitrary.js';

/** One generated case: who sends what, and how it was broken (none: a valid request). */
export interface FuzzCase {
  caller: Caller;
  request: FuzzRequest;
  mutation: Mutation | undefined;
}

/** Which collection a path parameter or a body field takes its ids from. */
function collectionOf(operation: Operation, name: string): string | undefined {
  const fixed: Record<string, string> = {
    item_id: 'items',
    file_id: 'files',
    file_ids: 'files',
    batch_id: 'file_batches',
    agent: 'agents',
    conversation: 'conversations',
    previous_response_id: 'responses',
    vector_store_id: 'vector_stores',
    vector_store_ids: 'vector_stores',
  };
  if (fixed[name]) return fixed[name];
  if (name !== 'id') return undefined;
  const segments = operation.path.split('/');
  return segments[segments.indexOf('{id}') - 1];
}

/**
 * Ids as the fuzzer offers them: every known object of that collection,
 * whoever owns it (another tenant's too), and one that does not exist. The
 * callers' own keys are left out: deleting them would end the run.
 */
function contextFor(operation: Operation, world: FuzzWorld): ValueContext {
  const spared = new Set([world.root.keyId, world.tenant.keyId]);
  const all = Object.values(world.objects).flat();
  return {
    ids(name) {
      if (name === 'user') return ['user-root', 'user-fuzz-tenant', 'user-fuzz-victim'];
      if (name === 'after') return [...all.map((owned) => owned.id), 'zzzz'];
      const collection = collectionOf(operation, name);
      if (!collection) return [];
      const known = (world.objects[collection] ?? [])
        .map((owned) => owned.id)
        .filter((id) => !spared.has(id));
      return [...known, `${collection.replace(/s$/, '')}_0000000000000000000000000`];
    },
  };
}

function validRequest(operation: Operation, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const context = contextFor(operation, world);
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const path = fc.record(
    Object.fromEntries(pathParams.map((p) => [p.name, arbitraryFor(p.schema, context, p.name).map(String)])),
  );
  const query = fc.record(
    // A query parameter has no null: a schema that allows one (a coerced number) means "leave it out".
    Object.fromEntries(
      queryParams.map((p) => [
        p.name,
        arbitraryFor(p.schema, context, p.name)
          .filter((value) => value !== null)
          .map(String),
      ]),
    ),
    { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) },
  );
  const body = operation.body;
  if (body?.type === 'multipart') {
    const purposes = ((body.schema.properties as Record<string, { enum?: string[] }>)?.purpose?.enum ?? [
      'assistants',
    ]) as string[];
    const upload = fc.record({
      filename: fc.stringMatching(/^[a-z]{1,12}\.txt$/),
      purpose: fc.constantFrom(...purposes),
      content: fc.string({ maxLength: 64 }),
    });
    return fc.record({ path, query, upload });
  }
  if (body?.type === 'json') {
    return fc.record({ path, query, body: arbitraryFor(body.schema, context) });
  }
  return fc.record({ path, query });
}

/** Valid requests (`broken: false`) or requests broken in one place, by the platform admin or a tenant admin. */
export function caseArbitrary(
  operation: Operation,
  world: FuzzWorld,
  broken: boolean,
): fc.Arbitrary<FuzzCase> {
  const caller = fc.constantFrom(world.root, world.tenant);
  return fc.tuple(caller, validRequest(operation, world)).chain(([who, request]): fc.Arbitrary<FuzzCase> => {
    const mutations = broken ? mutationsOf(operation, request) : [];
    if (mutations.length === 0) return fc.constant<FuzzCase>({ caller: who, request, mutation: undefined });
    return fc
      .oneof(...mutations)
      .map((edit) => ({ caller: who, request: edit.request, mutation: edit.mutation }));
  });
}

/** Whether the request names, in its path, an object of a tenant the caller does not act in. */
export function foreignIdInPath(operation: Operation, world: FuzzWorld, fuzzCase: FuzzCase): boolean {
  // A platform admin governs every tenant: its tenant routes take any tenant id.
  if (fuzzCase.caller === world.root && operation.path.startsWith('/v1/tenants/')) return false;
  const values = new Set(Object.values(fuzzCase.request.path));
  return Object.values(world.objects)
    .flat()
    .some((owned) => values.has(owned.id) && owned.tenantId !== fuzzCase.caller.tenantId);
}
