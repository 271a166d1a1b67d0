import { describe, expect, it } from 'vitest';
import {
  type CodeInterpreterCall,
  codeInterpreterRules,
  createCodeInterpreterTool,
  formatSandboxResult,
  type Sandbox,
  type SandboxRequest,
  type SandboxResult,
} from '../src/index.js';

function result(overrides: Partial<SandboxResult> = {}): SandboxResult {
  return {
    status: 'ok',
    stdout: '',
    stderr: '',
    result: null,
    error: null,
    files: [],
    images: [],
    truncated: false,
    sessionLost: false,
    ...overrides,
  };
}

class RecordingSandbox implements Sandbox {
  readonly requests: SandboxRequest[] = [];
  readonly log: string[] = [];
  constructor(readonly reply: SandboxResult = result({ stdout: 'hi\n' })) {}
  async run(request: SandboxRequest): Promise<SandboxResult> {
    this.requests.push(request);
    this.log.push(`run ${request.sessionId}`);
    return this.reply;
  }
  async reset(sessionId: string): Promise<void> {
    this.log.push(`reset ${sessionId}`);
  }
  async close(): Promise<void> {}
}

const context = (callId = 'call_1') => ({ callId, signal: new AbortController().signal });

describe('formatSandboxResult', () => {
  it('shows stdout, stderr, the last value, files and figures', () => {
    const text = formatSandboxResult(
      result({
        stdout: 'hello\n',
        stderr: 'warning\n',
        result: '42',
        files: [{ path: '/mnt/data/out.csv', bytes: new Uint8Array(3), mimeType: 'text/csv' }],
        images: [{ mimeType: 'image/png', bytes: new Uint8Array(8) }],
      }),
    );
    expect(text).toBe(
      'stdout:\nhello\n\nstderr:\nwarning\n\nResult: 42\n\nFiles written:\n- /mnt/data/out.csv (text/csv, 3 bytes)' +
        '\n\n1 matplotlib figure captured as PNG and shown to the user.',
    );
  });

  it('shows an exception with its traceback, and says when the session was lost', () => {
    const text = formatSandboxResult(
      result({
        status: 'error',
        error: {
          type: 'ZeroDivisionError',
          message: 'division by zero',
          traceback: 'Traceback …\nZeroDivisionError: division by zero\n',
        },
      }),
    );
    expect(text).toBe('The code raised an exception.\n\nTraceback …\nZeroDivisionError: division by zero');
    const lost = formatSandboxResult(
      result({
        status: 'timeout',
        error: { type: 'SandboxTimeout', message: 'The call exceeded…', traceback: '' },
        sessionLost: true,
      }),
    );
    expect(lost).toBe('The code ran out of time and was stopped.\n\nSandboxTimeout: The call exceeded…');
  });

  it('caps the whole text and says so when nothing was printed', () => {
    expect(formatSandboxResult(result())).toBe('(The code ran and produced no output.)');
    const text = formatSandboxResult(result({ stdout: 'x'.repeat(5000) }), 1000);
    expect(text.length).toBeLessThan(1100);
    expect(text).toMatch(/characters truncated/);
  });
});

describe('createCodeInterpreterTool', () => {
  it('runs in the default runtime, in the resolved session, and reports the raw result', async () => {
    const pyodide = new RecordingSandbox();
    const cpython = new RecordingSandbox(
      result({ status: 'error', error: { type: 'E', message: 'm', traceback: '' } }),
    );
    const calls: CodeInterpreterCall[] = [];
    const tool = createCodeInterpreterTool({
      sandboxes: { pyodide, cpython },
      sessionId: () => 'conversation-7',
      onResult: (call) => {
        calls.push(call);
      },
    });
    expect(tool.definition.name).toBe('code_interpreter');
    expect(tool.definition.parameters).toMatchObject({
      required: ['code'],
      properties: { runtime: { enum: ['pyodide', 'cpython'] } },
    });
    const ok = await tool.execute!({ code: 'print("hi")' }, context());
    expect(ok).toEqual({ output: 'stdout:\nhi', isError: false });
    expect(pyodide.requests[0]).toMatchObject({ code: 'print("hi")', sessionId: 'pyodide:conversation-7' });
    const failed = await tool.execute!({ code: '1', runtime: 'cpython' }, context('call_2'));
    expect(failed).toMatchObject({ isError: true });
    expect(cpython.requests[0]?.sessionId).toBe('cpython:conversation-7');
    expect(calls.map((c) => [c.callId, c.runtime, c.sessionId])).toEqual([
      ['call_1', 'pyodide', 'conversation-7'],
      ['call_2', 'cpython', 'conversation-7'],
    ]);
  });

  it('defaults the session to the call id and passes the signal', async () => {
    const sandbox = new RecordingSandbox();
    const tool = createCodeInterpreterTool({ sandboxes: { pyodide: sandbox } });
    const ctx = context('call_9');
    await tool.execute!({ code: '1' }, ctx);
    expect(sandbox.requests[0]).toMatchObject({ sessionId: 'pyodide:call_9', signal: ctx.signal });
  });

  it('starts from a fresh interpreter when the call asks for a reset', async () => {
    const sandbox = new RecordingSandbox();
    const tool = createCodeInterpreterTool({ sandboxes: { pyodide: sandbox }, sessionId: () => 'conv-1' });
    expect(tool.definition.parameters).toMatchObject({ properties: { reset: { type: 'boolean' } } });
    await tool.execute!({ code: 'x = 1' }, context());
    await tool.execute!({ code: 'print(x)', reset: true }, context('call_2'));
    expect(sandbox.log).toEqual(['run pyodide:conv-1', 'reset pyodide:conv-1', 'run pyodide:conv-1']);
    expect(await tool.execute!({ code: '1', reset: 'yes' }, context())).toMatchObject({
      isError: true,
      output: expect.stringMatching(/"reset"/),
    });
  });

  it('refuses bad arguments and runtimes it does not have', async () => {
    const tool = createCodeInterpreterTool({ sandboxes: { pyodide: new RecordingSandbox() } });
    expect(await tool.execute!({}, context())).toMatchObject({
      isError: true,
      output: expect.stringMatching(/"code"/),
    });
    expect(await tool.execute!({ code: '1', runtime: 'cpython' }, context())).toMatchObject({
      isError: true,
      output: expect.stringMatching(/'pyodide'/),
    });
    expect(() => createCodeInterpreterTool({ sandboxes: {} })).toThrow();
    expect(() =>
      createCodeInterpreterTool({
        sandboxes: { pyodide: new RecordingSandbox() },
        defaultRuntime: 'cpython',
      }),
    ).toThrow();
  });
});

describe('codeInterpreterRules', () => {
  const match = (text: string) => {
    for (const rule of codeInterpreterRules) {
      const args = rule.match(text);
      if (args) return { tool: rule.tool, args };
    }
    return undefined;
  };

  it('turns "run python:" and fenced python into a default-runtime call', () => {
    expect(match('run python: print(1 + 1)')).toEqual({
      tool: 'code_interpreter',
      args: { code: 'print(1 + 1)' },
    });
    expect(match('Run Python:\nx = 1\nx')).toEqual({ tool: 'code_interpreter', args: { code: 'x = 1\nx' } });
    expect(match('```python\nimport math\nmath.pi\n```')).toEqual({
      tool: 'code_interpreter',
      args: { code: 'import math\nmath.pi' },
    });
  });

  it('runs a fenced cpython block in the CPython sandbox', () => {
    expect(match('```cpython\nimport numpy as np\nnp.ones(2)\n```')).toEqual({
      tool: 'code_interpreter',
      args: { code: 'import numpy as np\nnp.ones(2)', runtime: 'cpython' },
    });
  });

  it('leaves other messages alone', () => {
    expect(match('please run python for me')).toBeUndefined();
    expect(match('here:\n```python\nprint(1)\n```')).toBeUndefined();
    expect(match('```js\nconsole.log(1)\n```')).toBeUndefined();
    for (const rule of codeInterpreterRules) expect(rule.match(rule.example)).toBeDefined();
  });
});
