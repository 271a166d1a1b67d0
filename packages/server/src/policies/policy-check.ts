import { POLICY_ACTIONS, type PolicyAction } from '@agentd/spec/wire';
import {
  type ActionConstraint,
  type DetailedError,
  policySetTextToParts,
  policyToJson,
  type SchemaJson,
  type TypeAndId,
  validate,
} from '@cedar-policy/cedar-wasm/nodejs';
import { AgentdError } from '../errors.js';
import { CEDAR_NAMESPACE } from './cedar-schema.js';

/** What agentd reads from a valid policy: its effect and the actions it can apply to. */
export interface CheckedPolicy {
  effect: 'permit' | 'forbid';
  actions: PolicyAction[];
}

const invalid = (message: string) =>
  new AgentdError('invalid_request', 'invalid_policy', message, { param: 'policy' });

/** `line L, column C` of a byte offset in `text` (Cedar's source spans count UTF-8 bytes). */
export function positionOf(text: string, offset: number): string {
  const before = Buffer.from(text, 'utf8').subarray(0, Math.max(0, offset)).toString('utf8');
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return `line ${line}, column ${column}`;
}

function describe(text: string, error: DetailedError | undefined): string {
  if (!error) return 'the policy is not valid Cedar';
  const at = error.sourceLocations?.[0];
  const where = at ? `${positionOf(text, at.start)}: ` : '';
  const help = error.help ? ` (${error.help})` : '';
  return `${where}${error.message.replace(/^for policy `policy`, /, '')}${help}`;
}

/**
 * Parses one Cedar policy and validates it against the tenant's schema. A
 * policy that does not parse or validate is a 400 naming the line and column
 * and what is wrong there.
 */
export function checkPolicy(text: string, schema: SchemaJson<string>): CheckedPolicy {
  const parts = policySetTextToParts(text);
  if (parts.type === 'failure')
    throw invalid(`The policy does not parse: ${describe(text, parts.errors[0])}.`);
  if (parts.policy_templates.length > 0)
    throw invalid(
      'Policy templates (with ?principal or ?resource slots) are not supported; write a static policy.',
    );
  if (parts.policies.length !== 1)
    throw invalid(
      `A policy holds exactly one Cedar statement (permit or forbid); this text holds ${parts.policies.length}.`,
    );
  const answer = validate({ schema, policies: { staticPolicies: { policy: text } } });
  if (answer.type === 'failure')
    throw invalid(`The policy does not validate: ${describe(text, answer.errors[0])}.`);
  const first = answer.validationErrors[0];
  if (first)
    throw invalid(`The policy does not validate against agentd's schema: ${describe(text, first.error)}.`);
  const json = policyToJson(text);
  if (json.type === 'failure') throw invalid(`The policy does not parse: ${describe(text, json.errors[0])}.`);
  return { effect: json.json.effect, actions: actionsOf(json.json.action) };
}

/** The actions a policy's action scope covers (no scope: every action). */
function actionsOf(scope: ActionConstraint): PolicyAction[] {
  if (scope.op === 'All') return [...POLICY_ACTIONS];
  const uids: unknown[] = 'entities' in scope ? scope.entities : 'entity' in scope ? [scope.entity] : [];
  const ids = uids.map((uid) => {
    const plain = (uid as { __entity?: TypeAndId }).__entity ?? (uid as TypeAndId);
    return plain.type === `${CEDAR_NAMESPACE}::Action` ? plain.id : '';
  });
  return POLICY_ACTIONS.filter((action) => ids.includes(action));
}
