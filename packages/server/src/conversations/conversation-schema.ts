import { z } from '@hono/zod-openapi';
import { MetadataSchema } from '../http/common-schemas.js';
import { InputItemSchema } from './item-schema.js';

export const ConversationSchema = z
  .object({
    id: z.string(),
    object: z.literal('conversation'),
    created_at: z.number().int(),
    metadata: MetadataSchema,
  })
  .openapi('Conversation');
export type Conversation = z.infer<typeof ConversationSchema>;

export const CreateConversationSchema = z
  .strictObject({
    metadata: MetadataSchema.optional(),
    items: z.array(InputItemSchema).max(20).optional(),
  })
  .openapi('CreateConversationRequest');

export const UpdateConversationSchema = z
  .strictObject({ metadata: MetadataSchema })
  .openapi('UpdateConversationRequest');

export const AddItemsSchema = z
  .strictObject({ items: z.array(InputItemSchema).min(1).max(20) })
  .openapi('AddConversationItemsRequest');
