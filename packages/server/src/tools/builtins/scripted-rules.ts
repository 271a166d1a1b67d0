import type { ScriptedRule } from '@agentd/providers';
import { codeInterpreterRules } from '@agentd/tool-code-interpreter';
import { filesRules } from '@agentd/tool-files';
import { webRules } from '@agentd/tool-web';

/**
 * What the scripted stand-in model does with plain requests: "run python:
 * …" and ```python blocks run in the code interpreter, "open <url>" in the
 * browser (or fetch_url), "search …" in web_search. Each applies only when
 * its tool is enabled for the run.
 */
export const BUILTIN_SCRIPTED_RULES: readonly ScriptedRule[] = [
  ...codeInterpreterRules,
  // Before the web rules: their "search <query>" would take "search my files for …".
  ...filesRules,
  ...webRules,
];
