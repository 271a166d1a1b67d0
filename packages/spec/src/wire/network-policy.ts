import { z } from 'zod';

/** A tenant's network rules for tools, as PUT /v1/tenants/{id}/network_policy takes them. */
export const NetworkRulesSchema = z.strictObject({
  allow: z.array(z.string().min(1).max(300)).max(100).meta({
    description: 'Host names, `*.domain`, IP addresses or CIDR ranges, with an optional `:port`.',
  }),
  deny: z.array(z.string().min(1).max(300)).max(100),
});

export const NetworkPolicySchema = z
  .object({
    object: z.literal('network_policy'),
    tenant: z.object({ allow: z.array(z.string()), deny: z.array(z.string()) }),
    server: z.object({ allow: z.array(z.string()), deny: z.array(z.string()) }),
  })
  .meta({
    id: 'NetworkPolicy',
    description:
      'Where tools may connect. Loopback, private, link-local (cloud metadata), unique-local and multicast addresses are blocked unless allowed; deny rules win.',
  });
