import { z } from 'zod';
import { MetadataSchema } from './common.js';
import { InputItemSchema } from './items.js';

export const ConversationSchema = z
  .object({
    id: z.string(),
    object: z.literal('conversation'),
    created_at: z.number().int(),
    metadata: MetadataSchema,
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof ConversationSchema>;

export const CreateConversationSchema = z
  .strictObject({
    metadata: MetadataSchema.optional(),
    items: z.array(InputItemSchema).max(20).optional(),
  })
  .meta({ id: 'CreateConversationRequest' });

export const UpdateConversationSchema = z
  .strictObject({ metadata: MetadataSchema })
  .meta({ id: 'UpdateConversationRequest' });

export const AddItemsSchema = z
  .strictObject({ items: z.array(InputItemSchema).min(1).max(20) })
  .meta({ id: 'AddConversationItemsRequest' });
