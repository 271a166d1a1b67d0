import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PyodideSandbox, type SandboxResult } from '../src/index.js';
import { allText, startRecordingServer, token, writeCanaryFile } from './support/host-probes.js';

const CANARY = `env-canary-${token()}`;
process.env.AGENTD_TEST_CANARY = CANARY;

let sandbox: PyodideSandbox;
let server: Awaited<ReturnType<typeof startRecordingServer>>;
let canaryFile: ReturnType<typeof writeCanaryFile>;
const outputs: string[] = [];

async function run(code: string, sessionId = 'attacker'): Promise<SandboxResult> {
  const result = await sandbox.run({ code, sessionId, timeoutMs: 20_000 });
  outputs.push(allText(result));
  return result;
}

/**
 * Walks every Python object reachable without the refused heap functions
 * (modules, their globals, classes and their attributes, functions' globals,
 * closures and defaults, the running event loop) looking for a JavaScript
 * proxy, a `_pyodide_core` function or a bridge module.
 */
const REACHABILITY_WALK = `import sys, types, asyncio.events
def bridge(value):
    if isinstance(value, type):
        return None
    kind = type(value).__name__
    if "JsProxy" in kind or "JsDoubleProxy" in kind or kind == "JsException":
        return kind
    owner = getattr(value, "__self__", None)
    if isinstance(owner, types.ModuleType) and owner.__name__ == "_pyodide_core":
        return "_pyodide_core." + value.__name__
    if isinstance(value, types.ModuleType) and value.__name__.split(".")[0] in ("js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core"):
        return "module " + value.__name__
    return None
def subclasses(cls, found):
    for sub in type.__subclasses__(cls):
        if sub not in found:
            found.add(sub)
            subclasses(sub, found)
    return found
roots = list(sys.modules.values()) + list(subclasses(object, set()))
roots += [asyncio.events._get_running_loop(), asyncio.get_event_loop_policy()]
seen, stack, found = set(), roots, []
while stack and len(seen) < 60000:
    value = stack.pop()
    if value is None or id(value) in seen or isinstance(value, (str, bytes, int, float)):
        continue
    seen.add(id(value))
    hit = bridge(value)
    if hit:
        found.append(hit)
        continue
    children = []
    if isinstance(value, dict):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = list(value)
    elif isinstance(value, types.FunctionType):
        children = [value.__globals__, value.__defaults__, value.__kwdefaults__]
        children += [cell.cell_contents for cell in value.__closure__ or () if cell.cell_contents is not None]
    elif isinstance(value, (staticmethod, classmethod)):
        children = [value.__func__]
    elif isinstance(value, property):
        children = [value.fget, value.fset, value.fdel]
    elif isinstance(value, types.MethodType):
        children = [value.__func__, value.__self__]
    namespace = getattr(value, "__dict__", None)
    if isinstance(namespace, (dict, types.MappingProxyType)):
        children.append(dict(namespace))
    stack.extend(children)
(len(seen), sorted(set(found)))`;

beforeAll(async () => {
  canaryFile = writeCanaryFile();
  server = await startRecordingServer();
  sandbox = new PyodideSandbox({ poolSize: 1 });
  await sandbox.ready();
  // The first worker boots cold; the battery runs on one restored from its memory image, like most sessions.
  await sandbox.run({ code: 'None', sessionId: 'first-boot' });
  await sandbox.ready();
});

afterAll(async () => {
  await sandbox?.close();
  await server?.close();
  canaryFile?.remove();
});

describe('Pyodide sandbox: the JavaScript bridge is closed', () => {
  const refused: [string, string, RegExp][] = [
    ['import js', 'ImportError', /'js' is disabled in this sandbox/],
    ['from js import process', 'ImportError', /'js' is disabled/],
    ['__import__("js")', 'ImportError', /'js' is disabled/],
    ['import importlib\nimportlib.import_module("js")', 'ImportError', /'js' is disabled/],
    ['import pyodide_js', 'ImportError', /'pyodide_js' is disabled/],
    ['from pyodide_js import _api', 'ImportError', /'pyodide_js' is disabled/],
    ['from pyodide.code import run_js\nrun_js("process.env")', 'ImportError', /'pyodide.code' is disabled/],
    ['import pyodide.ffi', 'ImportError', /disabled in this sandbox/],
    ['from pyodide.ffi import create_proxy', 'ImportError', /disabled in this sandbox/],
    ['import _pyodide_core', 'ImportError', /'_pyodide_core' is disabled/],
    ['import sys\nsys.modules["js"]', 'KeyError', /'js'/],
    ['import sys\nsys.modules["pyodide_js"].process', 'KeyError', /'pyodide_js'/],
    ['import ctypes', 'ImportError', /'ctypes' is disabled/],
    ['import micropip', 'ImportError', /only the standard library/],
    ['import gc\ngc.get_objects()', 'PermissionError', /gc.get_objects\(\) is disabled/],
    [
      'import sys, importlib._bootstrap as b\nsys.meta_path[:] = [m for m in sys.meta_path if "Refuse" not in type(m).__name__]\nb._find_and_load("pyodide.code", __import__)',
      'ImportError',
      /disabled in this sandbox/,
    ],
  ];
  for (const [code, type, message] of refused) {
    it(`refuses: ${code.split('\n').at(-1)}`, async () => {
      const result = await run(code);
      expect(result.status).toBe('error');
      expect(result.error?.type).toBe(type);
      expect(result.error?.message).toMatch(message);
    });
  }

  it('refuses to re-create the bridge through the import machinery', async () => {
    const direct = await run(
      'import _imp\n_imp.create_builtin(type("S", (), {"name": "_pyodide_core", "origin": None})())',
    );
    expect(direct.error?.type).toBe('AttributeError');
    const machinery = await run(
      'import sys, importlib._bootstrap as b\nsys.meta_path[:] = [m for m in sys.meta_path if "Refuse" not in type(m).__name__]\nb._find_and_load("_pyodide_core", __import__)',
    );
    expect(machinery.status).toBe('error');
    expect(machinery.error?.message).toMatch(/create_builtin/);
  });

  it("leaves no JavaScript proxy reachable from Python, not even in Pyodide's own modules", async () => {
    const webloop = await run(
      'import asyncio\ng = type(asyncio.get_event_loop()).call_soon.__globals__\ng["scheduleCallback"]',
    );
    expect(webloop.error?.type).toBe('KeyError');
    const result = await run(REACHABILITY_WALK);
    expect(result.status).toBe('ok');
    const match = /^\((\d+), \[(.*)\]\)$/.exec(result.result ?? '');
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(5_000);
    expect(match![2]).toBe('');
  });

  it('refuses ctypes, so no emscripten_run_script', async () => {
    const result = await run('import _ctypes');
    expect(result.error?.type).toBe('ImportError');
    expect(result.error?.message).toMatch(/'_ctypes' is disabled/);
  });

  it('survives an interpreter crash: the session is reported lost and replaced', async () => {
    const crashed = await run('import faulthandler\nfaulthandler._sigsegv()', 'crasher');
    expect(crashed).toMatchObject({ status: 'killed', sessionLost: true, error: { type: 'SandboxCrashed' } });
    expect((await run('1 + 1', 'crasher')).result).toBe('2');
  });
});

describe('Pyodide sandbox: the host is out of reach', () => {
  it('does not expose the host environment', async () => {
    const result = await run('import os\nprint(dict(os.environ))\nos.environ.get("AGENTD_TEST_CANARY")');
    expect(result.status).toBe('ok');
    expect(result.result).toBeNull();
    expect(allText(result)).not.toContain(CANARY);
  });

  it("does not mount the host's file system", async () => {
    const here = fileURLToPath(import.meta.url);
    for (const path of ['/etc/passwd', here, canaryFile.path, '/proc/self/environ']) {
      const result = await run(`open(${JSON.stringify(path)}).read()`);
      expect(result.error?.type, path).toBe('FileNotFoundError');
    }
    const listing = await run('import os\nsorted(os.listdir("/"))');
    expect(listing.result).not.toMatch(/'work'|'root'|'usr'|'etc'/);
  });

  it('writes nothing to the host', async () => {
    const escapePath = `/tmp/agentd-escape-${token()}`;
    await run(`open(${JSON.stringify(escapePath)}, "w").write("x")`);
    expect(existsSync(escapePath)).toBe(false);
  });

  it('opens no socket and makes no HTTP request', async () => {
    const socket = await run(`import socket\nsocket.create_connection(("127.0.0.1", ${server.port}))`);
    expect(socket.error?.type).toBe('PermissionError');
    expect(socket.error?.message).toMatch(/network access is disabled/);
    const http = await run(
      `import urllib.request\nurllib.request.urlopen("http://127.0.0.1:${server.port}/").read()`,
    );
    expect(http.status).toBe('error');
    expect(allText(http)).toMatch(/network access is disabled/);
    expect(server.requests).toEqual([]);
    expect(server.connections).toEqual([]);
  });

  it('starts no process', async () => {
    for (const code of [
      'import os\nos.system("touch /tmp/agentd-pwned")',
      'import subprocess\nsubprocess.run(["id"])',
      'import os\nos.fork()',
    ]) {
      const result = await run(code);
      expect(result.status, code).toBe('error');
      // The lockdown's audit hook, or Pyodide's own subprocess module, whichever refuses first.
      expect(result.error?.message).toMatch(/starting processes is disabled|does not support processes/);
    }
  });

  it('stops a memory bomb with MemoryError and the session lives on', async () => {
    const big = await run('x = bytearray(1536 * 1024**2)', 'memory');
    expect(big.error?.type).toBe('MemoryError');
    const growing = await run('chunks = []\nwhile True:\n    chunks.append(bytearray(10**7))', 'memory');
    expect(growing.error?.type).toBe('MemoryError');
    expect((await run('del chunks\n"alive"', 'memory')).result).toBe("'alive'");
  });

  it('stops writing past the 100 MB quota', async () => {
    const result = await run(
      'with open("/mnt/data/big.bin", "wb") as f:\n    for i in range(150):\n        f.write(b"\\0" * 1024 * 1024)',
      'quota',
    );
    expect(result.error?.type).toBe('OSError');
    expect(result.error?.message).toMatch(/No space left on device/);
    const freed = await run(
      'import os\nos.remove("/mnt/data/big.bin")\nopen("/tmp/small", "wb").write(b"1" * 1000)',
      'quota',
    );
    expect(freed.result).toBe('1000');
  });

  it('never showed the canary secret in any output', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const output of outputs) {
      expect(output).not.toContain(CANARY);
      expect(output).not.toContain(canaryFile.secret);
    }
  });
});
