/**
 * Scripted-model rules: plain requests that the scripted stand-in model turns
 * into code_interpreter calls. Structurally the `ScriptedRule` of
 * @agentd/providers, declared here so this package does not depend on it.
 */
export interface CodeInterpreterRule {
  tool: string;
  /** Shown in the stand-in's help text. */
  example: string;
  /** The tool arguments for this user text, or undefined when the rule does not apply. */
  match(text: string): Record<string, unknown> | undefined;
}

const TOOL = 'code_interpreter';
const RUN_PYTHON = /^run python:\s*([\s\S]*\S)\s*$/i;
/** The whole message is one fenced block: ```python … ``` (or ```py). */
const FENCED_PYTHON = /^```(?:python|py)[ \t]*\r?\n([\s\S]*?)\r?\n?```\s*$/;
const FENCED_CPYTHON = /^```cpython[ \t]*\r?\n([\s\S]*?)\r?\n?```\s*$/;

export const codeInterpreterRules: readonly CodeInterpreterRule[] = [
  {
    tool: TOOL,
    example: 'run python: print(1 + 1)',
    match: (text) => {
      const code = RUN_PYTHON.exec(text)?.[1];
      return code === undefined ? undefined : { code };
    },
  },
  {
    tool: TOOL,
    example: '```python\nprint(1 + 1)\n```',
    match: (text) => {
      const code = FENCED_PYTHON.exec(text)?.[1];
      return code === undefined ? undefined : { code };
    },
  },
  {
    tool: TOOL,
    example: '```cpython\nimport numpy as np\nprint(np.arange(3))\n```',
    match: (text) => {
      const code = FENCED_CPYTHON.exec(text)?.[1];
      return code === undefined ? undefined : { code, runtime: 'cpython' };
    },
  },
];
