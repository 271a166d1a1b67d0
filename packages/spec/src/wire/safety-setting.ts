import { z } from 'zod';

const PHASES = ['rules', 'classifier', 'judge'] as const;
const ACTIONS = ['allow', 'flag', 'redact', 'block'] as const;
const CATEGORIES = [
  'prompt_injection',
  'jailbreak',
  'secret',
  'pii',
  'hidden_text',
  'encoded_payload',
  'deny_list',
  'harmful',
] as const;

const score = z.number().min(0).max(1);

/** The classifier's thresholds; `flag` at most `block`. */
const ThresholdsSchema = z
  .strictObject({ flag: score.optional(), block: score.optional() })
  .refine((value) => value.flag === undefined || value.block === undefined || value.flag <= value.block, {
    message: 'flag must not be above block',
  });

const ActionSchema = z.enum(ACTIONS, { message: `expected one of ${ACTIONS.join(', ')}` });

/** What a rule finding of each category does (the rules phase; the judge names `harmful`). */
const ActionsSchema = z.strictObject(
  Object.fromEntries(CATEGORIES.map((category) => [category, ActionSchema.optional()])) as Record<
    (typeof CATEGORIES)[number],
    z.ZodOptional<typeof ActionSchema>
  >,
);

const surfaceFields = {
  /** The phases that run here, in order; `[]` checks nothing on this surface. */
  phases: z.array(z.enum(PHASES, { message: `expected one of ${PHASES.join(', ')}` })).max(3),
  actions: ActionsSchema,
  /** The most the classifier does here: `flag` records its verdict without blocking. */
  classifier_action: z.enum(['flag', 'block'], { message: 'expected flag or block' }),
};

/** This surface's classifier thresholds, over the setting's `classifier` and the weights file's calibration for the surface. */
const surfaceThresholds = ThresholdsSchema.optional().meta({
  description:
    "The classifier's thresholds on this surface; unset, the setting's `classifier`, else the thresholds the weights file calibrated for the surface.",
});

const SurfaceSchema = z.strictObject({
  phases: surfaceFields.phases.optional(),
  actions: surfaceFields.actions.optional(),
  classifier_action: surfaceFields.classifier_action.optional(),
  classifier: surfaceThresholds,
});

const StreamSurfaceSchema = z.strictObject({
  // The judge is too slow for every delta of a stream.
  phases: z
    .array(z.enum(['rules', 'classifier'], { message: 'expected rules or classifier (no judge on streams)' }))
    .max(2)
    .optional(),
  actions: surfaceFields.actions.optional(),
  classifier_action: surfaceFields.classifier_action.optional(),
  classifier: surfaceThresholds,
  hold_back: z.number().int().min(0).max(4000).optional().meta({
    description: 'Characters of streamed text kept from the client until checked (default 200).',
  }),
  pause_ms: z.number().int().min(0).max(60_000).optional().meta({
    description:
      'When the model sends nothing for this long, held-back text that has been checked is sent, less a word still being written or the start of a denied term (default 250; 0 holds it until more text arrives).',
  }),
});

/**
 * An agent's `safety` setting, a tenant's default and the platform's
 * (AGENTD_SAFETY_POLICY): every field optional; the agent's fields win over
 * the tenant's, which win over the platform's.
 */
export const SafetySettingSchema = z
  .strictObject({
    enabled: z.boolean().optional().meta({ description: 'false: nothing of the run is checked.' }),
    user_input: SurfaceSchema.optional(),
    tool_output: SurfaceSchema.optional(),
    model_output: StreamSurfaceSchema.optional(),
    memory: SurfaceSchema.optional().meta({
      description:
        'What the model asks to remember (memory_save): a block refuses the write, and the model reads why.',
    }),
    classifier: ThresholdsSchema.optional(),
    judge: z
      .strictObject({
        mode: z.enum(['off', 'unsure', 'always'], { message: 'expected off, unsure or always' }).optional(),
        band: z
          .strictObject({ low: score, high: score })
          .refine((band) => band.low < band.high, { message: 'low must be below high' })
          .optional(),
        on_failure: z
          .enum(['fail_open', 'fail_closed'], { message: 'expected fail_open or fail_closed' })
          .optional(),
        timeout_ms: z.number().int().min(100).max(120_000).optional(),
      })
      .optional(),
    deny_list: z.array(z.string().trim().min(1).max(200)).max(1000).optional(),
    spotlight: z.boolean().optional().meta({
      description: 'Mark every tool result as untrusted data in the prompt (default true).',
    }),
  })
  .meta({ id: 'SafetySetting' });

export type SafetySetting = z.infer<typeof SafetySettingSchema>;
export type SafetyPhaseName = (typeof PHASES)[number];
export type RuleActions = z.infer<typeof ActionsSchema>;
/** One surface's setting as given (user input, tool output, memory, or the streamed answer). */
export type SafetySurfaceSetting = z.infer<typeof SurfaceSchema> | z.infer<typeof StreamSurfaceSchema>;

/** GET and PUT /v1/safety_policy: a tenant's default safety setting and the platform's. */
export const SafetyPolicySchema = z
  .object({
    object: z.literal('safety_policy'),
    tenant: z.union([SafetySettingSchema, z.null()]).meta({
      description: "The tenant's default; null: none of its own.",
    }),
    platform: z.record(z.string(), z.unknown()).meta({
      description: "The platform's default with every field filled (agentd's, then AGENTD_SAFETY_POLICY).",
    }),
    judge: z
      .boolean()
      .meta({ description: 'Whether an LLM judge is configured (AGENTD_SAFETY_JUDGE_MODEL).' }),
  })
  .meta({
    id: 'SafetyPolicy',
    description:
      "What the safety pipeline checks in runs: an agent's `safety` setting applies over its tenant's default, which applies over the platform's.",
  });
