/**
 * `call <tool> {json}`: the scripted model's way to call any tool of the run
 * by name, so directory, registered and MCP tools and approvals can be tried
 * without a model.
 */
export type CallCommand =
  | { kind: 'call'; name: string; arguments: string }
  /** A `call` the model cannot make, with the honest reply that says why. */
  | { kind: 'refusal'; text: string };

/** An example for the stand-in's help text. */
export const CALL_EXAMPLE = 'call <tool> {"argument": "value"}';

const CALL = /^call\s+([^\s{]+)(?:\s*([\s\S]*))?$/i;

/**
 * The command in a user message, or undefined when the message is not one.
 * "call me later" is not one: a `call` that names no tool of the run counts
 * only when JSON or nothing follows the name.
 */
export function callCommand(
  text: string,
  tools: readonly string[],
  unavailable?: (tool: string) => string | undefined,
): CallCommand | undefined {
  const match = CALL.exec(text);
  if (!match) return undefined;
  const name = match[1] as string;
  const rest = (match[2] ?? '').trim();
  if (!tools.includes(name)) {
    if (rest !== '' && !rest.startsWith('{')) return undefined;
    const why = unavailable?.(name);
    const offered =
      tools.length > 0
        ? `This run's tools are: ${tools.join(', ')}.`
        : 'This run has no tools: name them in the request\'s "tools".';
    return {
      kind: 'refusal',
      text: why
        ? `I cannot call ${name}: it is not available (${why}).`
        : `I cannot call ${name}: there is no tool of that name in this run. ${offered}`,
    };
  }
  if (rest === '') return { kind: 'call', name, arguments: '{}' };
  let args: unknown;
  try {
    args = JSON.parse(rest);
  } catch (error) {
    return {
      kind: 'refusal',
      text: `I did not call ${name}: its arguments are not valid JSON (${(error as Error).message}). Write them as one JSON object, e.g. call ${name} {"city": "Oslo"}.`,
    };
  }
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    return {
      kind: 'refusal',
      text: `I did not call ${name}: its arguments must be a JSON object, e.g. call ${name} {"city": "Oslo"}.`,
    };
  }
  return { kind: 'call', name, arguments: JSON.stringify(args) };
}
