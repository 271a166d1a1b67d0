import { toJSONSchema, type ZodType, type z } from 'zod';

/** What a client-side tool's `execute` learns about the call. */
export interface ToolCallContext {
  /** The model's id for this call (`call_…`). */
  callId: string;
  /** The response whose output holds the call. */
  responseId: string;
  signal: AbortSignal | undefined;
}

/** A function the model may call, run in the caller's process by `Agent`. */
export interface FunctionTool {
  readonly type: 'function';
  readonly name: string;
  readonly description: string | undefined;
  /** The arguments' JSON Schema, as sent to the server. */
  readonly parameters: Record<string, unknown>;
  readonly strict: boolean | undefined;
  /** Checks and runs one call; what the model reads back (errors included, so it can correct itself). */
  invoke(rawArguments: string, context: ToolCallContext): Promise<ToolOutcome>;
}

export interface ToolOutcome {
  output: string;
  /** Set when the arguments were refused or `execute` threw; `output` then tells the model why. */
  error: string | null;
}

interface ToolOptionsBase {
  /** 1 to 64 letters, digits, `_` or `-`. */
  name: string;
  description?: string;
  strict?: boolean;
}

export interface ZodToolOptions<S extends ZodType> extends ToolOptionsBase {
  parameters: S;
  execute(args: z.output<S>, context: ToolCallContext): unknown;
}

export interface JsonSchemaToolOptions extends ToolOptionsBase {
  /** A JSON Schema object; the arguments reach `execute` unchecked by the SDK (the server checks them). */
  parameters: Record<string, unknown>;
  execute(args: unknown, context: ToolCallContext): unknown;
}

/**
 * A client-side tool: `tool({ name, description, parameters: z.object(...), execute })`.
 * zod parameters become JSON Schema (zod 4's toJSONSchema) and check each
 * call's arguments before `execute` sees them. `execute` may return anything:
 * a string goes back as it is, anything else as JSON.
 */
export function tool<S extends ZodType>(options: ZodToolOptions<S>): FunctionTool;
export function tool(options: JsonSchemaToolOptions): FunctionTool;
export function tool(options: ZodToolOptions<ZodType> | JsonSchemaToolOptions): FunctionTool {
  const schema = isZod(options.parameters) ? options.parameters : undefined;
  const parameters = schema ? jsonSchemaOf(schema) : (options.parameters as Record<string, unknown>);
  return {
    type: 'function',
    name: options.name,
    description: options.description,
    parameters,
    strict: options.strict,
    async invoke(rawArguments, context) {
      let args: unknown;
      try {
        args = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments);
      } catch {
        return refused(`the arguments are not JSON: ${rawArguments.slice(0, 200)}`);
      }
      if (schema) {
        const checked = schema.safeParse(args);
        if (!checked.success)
          return refused(
            checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
          );
        args = checked.data;
      }
      try {
        const result = await options.execute(args as never, context);
        return {
          output: typeof result === 'string' ? result : (JSON.stringify(result) ?? 'null'),
          error: null,
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { output: `Error: ${message}`, error: message };
      }
    },
  };
}

/** The definition a request carries for a client-side tool. */
export function toolDefinition(fn: FunctionTool): Record<string, unknown> {
  return {
    type: 'function',
    name: fn.name,
    ...(fn.description === undefined ? {} : { description: fn.description }),
    parameters: fn.parameters,
    ...(fn.strict === undefined ? {} : { strict: fn.strict }),
  };
}

function refused(reason: string): ToolOutcome {
  return { output: `Invalid arguments: ${reason}`, error: `invalid arguments: ${reason}` };
}

function isZod(value: unknown): value is ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function jsonSchemaOf(schema: ZodType): Record<string, unknown> {
  // The input side: what the model must send (defaults may be left out).
  const { $schema: _dialect, ...json } = toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return json as Record<string, unknown>;
}
