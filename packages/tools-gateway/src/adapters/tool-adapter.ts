// The adapter contract is in spec; the adapters are beside this file.
export type { AdapterHealth, AdapterTool, ToolAdapter } from '@agentd/spec';

/** Looks up a stored secret by name (decrypted); throws when there is none. */
export type SecretResolver = (name: string) => Promise<string>;
