import { z } from 'zod';
import { PageQuerySchema } from './common.js';

/** What a file is for, as in the OpenAI API; `assistants_output` marks files a tool produced. */
export const FILE_PURPOSES = [
  'assistants',
  'assistants_output',
  'user_data',
  'vision',
  'batch',
  'fine-tune',
  'evals',
] as const;
export const UPLOAD_PURPOSES = FILE_PURPOSES.filter((purpose) => purpose !== 'assistants_output');

export const FileSchema = z
  .object({
    id: z.string(),
    object: z.literal('file'),
    bytes: z.number().int(),
    created_at: z.number().int(),
    filename: z.string(),
    purpose: z.enum(FILE_PURPOSES),
    status: z.literal('processed'),
    expires_at: z.null(),
  })
  .meta({ id: 'File' });

export const FileListQuerySchema = PageQuerySchema.extend({ purpose: z.enum(FILE_PURPOSES).optional() });

/** GET /v1/files/{id}/content's query: a signed link's token, for reads without a key. */
export const FileContentQuerySchema = z.object({
  token: z
    .string()
    .min(1)
    .max(1024)
    .optional()
    .meta({ description: 'A signed link’s token; used when there is no Authorization header.' }),
});
