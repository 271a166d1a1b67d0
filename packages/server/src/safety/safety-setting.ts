import { z } from '@hono/zod-openapi';

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

const SurfaceSchema = z.strictObject({
  phases: surfaceFields.phases.optional(),
  actions: surfaceFields.actions.optional(),
  classifier_action: surfaceFields.classifier_action.optional(),
});

const StreamSurfaceSchema = z.strictObject({
  // The judge is too slow for every delta of a stream.
  phases: z
    .array(z.enum(['rules', 'classifier'], { message: 'expected rules or classifier (no judge on streams)' }))
    .max(2)
    .optional(),
  actions: surfaceFields.actions.optional(),
  classifier_action: surfaceFields.classifier_action.optional(),
  hold_back: z.number().int().min(0).max(4000).optional().openapi({
    description: 'Characters of streamed text kept from the client until checked (default 200).',
  }),
  pause_ms: z.number().int().min(0).max(60_000).optional().openapi({
    description:
      'When the model sends nothing for this long, held-back text that has been checked is sent, less a word still being written or the start of a denied term (default 250; 0 holds it until more text arrives).',
  }),
});

const score = z.number().min(0).max(1);

/**
 * An agent's `safety` setting, a tenant's default and the platform's
 * (AGENTD_SAFETY_POLICY): every field optional; the agent's fields win over
 * the tenant's, which win over the platform's.
 */
export const SafetySettingSchema = z
  .strictObject({
    enabled: z.boolean().optional().openapi({ description: 'false: nothing of the run is checked.' }),
    user_input: SurfaceSchema.optional(),
    tool_output: SurfaceSchema.optional(),
    model_output: StreamSurfaceSchema.optional(),
    memory: SurfaceSchema.optional().openapi({
      description:
        'What the model asks to remember (memory_save): a block refuses the write, and the model reads why.',
    }),
    classifier: z
      .strictObject({ flag: score.optional(), block: score.optional() })
      .refine((value) => value.flag === undefined || value.block === undefined || value.flag <= value.block, {
        message: 'flag must not be above block',
      })
      .optional(),
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
    spotlight: z.boolean().optional().openapi({
      description: 'Mark every tool result as untrusted data in the prompt (default true).',
    }),
  })
  .openapi('SafetySetting');

export type SafetySetting = z.infer<typeof SafetySettingSchema>;
export type SafetyPhaseName = (typeof PHASES)[number];
export type RuleActions = z.infer<typeof ActionsSchema>;

export interface ResolvedSurface {
  phases: SafetyPhaseName[];
  actions: RuleActions;
  classifier_action: 'flag' | 'block';
}

/** A setting with every level applied and every field filled. */
export interface ResolvedSafety {
  enabled: boolean;
  user_input: ResolvedSurface;
  tool_output: ResolvedSurface;
  model_output: ResolvedSurface & { hold_back: number; pause_ms: number };
  memory: ResolvedSurface;
  classifier: { flag?: number; block?: number };
  judge: NonNullable<SafetySetting['judge']>;
  deny_list: string[];
  spotlight: boolean;
}

/**
 * agentd's defaults, chosen so that ordinary text passes (ADR-0018, figures
 * from bench/safety.mjs). At their thresholds the classifier would block
 * about 4 % and the injection-marker rules about 2 % of benign 4,000-character
 * documents, so on tool results both flag: the result reaches the model
 * marked as data (spotlighting), the verdict is in the log, and a configured
 * judge reviews what they flag. Rules block where they are precise (encoded
 * instructions, the deny list). Hidden characters in tool results are
 * flagged, not removed, so a result is stored as the tool gave it. Streamed
 * answers are held back 200 characters while the rules and the classifier
 * read them (a denied term never reaches the client); when the model pauses,
 * what was checked goes out, so a slow answer is not held until its end.
 */
export const DEFAULT_SAFETY: ResolvedSafety = {
  enabled: true,
  user_input: { phases: ['rules', 'classifier', 'judge'], actions: {}, classifier_action: 'flag' },
  tool_output: {
    phases: ['rules', 'classifier', 'judge'],
    actions: { hidden_text: 'flag' },
    classifier_action: 'flag',
  },
  // Streamed answers are held back 200 characters and checked; a pause in the stream releases what was checked.
  model_output: {
    phases: ['rules', 'classifier'],
    actions: {},
    classifier_action: 'flag',
    hold_back: 200,
    pause_ms: 250,
  },
  // A remembered text is put into later runs' instructions: an instruction there would outlive the run.
  memory: {
    phases: ['rules', 'classifier', 'judge'],
    actions: { prompt_injection: 'block', jailbreak: 'block' },
    classifier_action: 'flag',
  },
  classifier: {},
  judge: { mode: 'unsure' },
  deny_list: [],
  spotlight: true,
};

/** Applies settings in order (platform, tenant, agent): later fields win, objects merge, lists replace. */
export function resolveSafety(
  base: ResolvedSafety,
  ...levels: readonly (SafetySetting | null | undefined)[]
): ResolvedSafety {
  let resolved = base;
  for (const level of levels) {
    if (!level) continue;
    resolved = {
      enabled: level.enabled ?? resolved.enabled,
      user_input: surface(resolved.user_input, level.user_input),
      tool_output: surface(resolved.tool_output, level.tool_output),
      model_output: {
        ...surface(resolved.model_output, level.model_output),
        hold_back: level.model_output?.hold_back ?? resolved.model_output.hold_back,
        pause_ms: level.model_output?.pause_ms ?? resolved.model_output.pause_ms,
      },
      memory: surface(resolved.memory, level.memory),
      classifier: { ...resolved.classifier, ...level.classifier },
      judge: { ...resolved.judge, ...level.judge },
      deny_list: level.deny_list ?? resolved.deny_list,
      spotlight: level.spotlight ?? resolved.spotlight,
    };
  }
  return resolved;
}

function surface<T extends ResolvedSurface>(
  base: T,
  level: z.infer<typeof SurfaceSchema> | z.infer<typeof StreamSurfaceSchema> | undefined,
): T {
  if (!level) return base;
  return {
    ...base,
    phases: level.phases ?? base.phases,
    actions: { ...base.actions, ...level.actions },
    classifier_action: level.classifier_action ?? base.classifier_action,
  };
}
