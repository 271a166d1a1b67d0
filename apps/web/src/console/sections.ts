/**
 * The console's sections, in the order its navigation lists them. Kept apart
 * from the console's code (a lazy chunk) because the router needs the names.
 */
export const CONSOLE_SECTIONS = [
  { id: 'agents', label: 'Agents' },
  { id: 'tools', label: 'Tools' },
  { id: 'stores', label: 'Vector stores' },
  { id: 'keys', label: 'API keys' },
  { id: 'policies', label: 'Policies' },
  { id: 'limits', label: 'Limits' },
  { id: 'usage', label: 'Usage' },
  { id: 'audit', label: 'Audit log' },
  { id: 'runs', label: 'Run inspector' },
] as const;

export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number]['id'];

export function isConsoleSection(value: string | undefined): value is ConsoleSection {
  return CONSOLE_SECTIONS.some((section) => section.id === value);
}
