import { z } from 'zod';
export const ToolManifestBodySchema = z.record(z.string(), z.unknown()).meta({
  id: 'ToolManifest',
  description: 'A tool manifest; its JSON Schema is served at /v1/tools/manifest-schema.',
});

export const ToolSchema = z
  .object({
    id: z.string(),
    object: z.literal('tool'),
    name: z.string(),
    source: z.enum(['api', 'dir', 'builtin']),
    manifest: z.record(z.string(), z.unknown()),
    tools: z.array(
      z.object({
        name: z.string(),
        description: z.string().nullable(),
        circuit: z.enum(['closed', 'open', 'half-open']).meta({
          description:
            "The tool's circuit breaker in the answering process: `open` after repeated failures (calls skipped for a cool-down), `half-open` while one trial call may go through.",
        }),
      }),
    ),
    health: z.enum(['healthy', 'unavailable']),
    created_at: z.number().int().nullable(),
    updated_at: z.number().int().nullable(),
  })
  .meta({ id: 'Tool' });
