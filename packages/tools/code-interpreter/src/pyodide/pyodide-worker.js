// @ts-check
/**
 * One Pyodide interpreter in a worker thread, for one session at a time.
 *
 * Plain JavaScript (type-checked through JSDoc) because Node starts a worker
 * from a file it can run as is, from the sources under test and from dist alike.
 *
 * Boot order matters: everything Pyodide needs from the host (its files, Node
 * modules) is loaded first, then the worker is locked down so that nothing
 * reachable from JavaScript, and so from Python, can touch the host.
 */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { installFsGuards } from './worker-fs-guards.js';
import { lockDownRealm, removeNodeCapabilities } from './worker-lockdown.js';

/** @typedef {import('./worker-protocol.js').PyodideWorkerData} PyodideWorkerData */
/** @typedef {import('./worker-protocol.js').RunMessage} RunMessage */
/** @typedef {import('./worker-protocol.js').WorkerMessage} WorkerMessage */

const DATA_DIR = '/mnt/data';
const port = parentPort;
if (!port) throw new Error('pyodide-worker.js runs only as a worker thread');
/** @type {PyodideWorkerData} */
const config = workerData;

/** @param {WorkerMessage} message @param {import('node:worker_threads').TransferListItem[]} [transfer] */
function send(message, transfer) {
  port?.postMessage(message, transfer ?? []);
}

/** Collects one stream's bytes up to a cap, counting what it drops. */
class CappedSink {
  /** @param {number} maxBytes */
  constructor(maxBytes) {
    this.maxBytes = maxBytes;
    /** @type {Uint8Array[]} */
    this.chunks = [];
    this.kept = 0;
    this.dropped = 0;
  }
  /** @param {Uint8Array} bytes */
  write(bytes) {
    const room = this.maxBytes - this.kept;
    if (room > 0) {
      const piece = bytes.subarray(0, room);
      this.chunks.push(piece.slice());
      this.kept += piece.length;
    }
    this.dropped += Math.max(0, bytes.length - Math.max(room, 0));
    return bytes.length;
  }
  take() {
    const text = Buffer.concat(this.chunks).toString('utf8');
    const dropped = this.dropped;
    this.chunks = [];
    this.kept = 0;
    this.dropped = 0;
    return { text: dropped > 0 ? `${text}\n[… ${dropped} bytes truncated …]` : text, truncated: dropped > 0 };
  }
}

/**
 * The worker's own copy of the memory image, made here rather than by the host
 * (allocating 30 MB held the server's event loop for a third of a second under
 * load). The shared image is dropped before anything else runs: no code in the
 * worker can reach memory that other workers read.
 */
function takeSnapshot() {
  const shared = config.snapshot;
  config.snapshot = null;
  return shared ? shared.slice() : null;
}

/** When this script began to run, on the clock the host shares (for the boot's spawn time). */
const scriptAt = performance.timeOrigin + performance.now();

async function boot() {
  const started = performance.now();
  capWasmMemory(config.wasmMemoryBytes);
  // Emscripten names the program after argv[1]: keep the host's paths out of sys.argv and os.environ.
  process.argv.splice(1);
  const runnerSource = readFileSync(`${config.pythonDir}/agentd_runner.py`, 'utf8');
  const lockdownSource = readFileSync(`${config.pythonDir}/pyodide_lockdown.py`, 'utf8');
  const pyodideUrl = import.meta.resolve('pyodide');
  const { loadPyodide } = await import(pyodideUrl);
  const imported = performance.now();
  const stdout = new CappedSink(config.stdoutChars * 4);
  const stderr = new CappedSink(config.stderrChars * 4);
  const restoreInstantiate = useCompiledModule(config.wasmModule);
  /** @type {import('pyodide').PyodideAPI} */
  const pyodide = await loadPyodide({
    indexURL: fileURLToPath(new URL('.', pyodideUrl)),
    // The `js` module: a bare object, not globalThis.
    jsglobals: Object.freeze(Object.create(null)),
    env: { HOME: '/home/pyodide', USER: 'sandbox', LANG: 'C.UTF-8', PATH: '/' },
    args: [],
    _sysExecutable: '/usr/bin/python3',
    stdin: () => null,
    ...(config.snapshot ? { _loadSnapshot: takeSnapshot() } : {}),
    ...(config.makeSnapshot ? { _makeSnapshot: true } : {}),
  }).finally(restoreInstantiate);
  const loaded = performance.now();
  if (config.makeSnapshot) {
    // A pre-imported base state: the image holds the standard library's modules already imported.
    preimport(pyodide, lockdownSource);
    // Copied, not transferred: the image may share its buffer with the WASM heap.
    send({ type: 'snapshot', bytes: pyodide.makeMemorySnapshot() });
  }
  pyodide.setStdout({ write: (bytes) => stdout.write(bytes) });
  pyodide.setStderr({ write: (bytes) => stderr.write(bytes) });
  pyodide.setInterruptBuffer(new Int32Array(config.interrupt));
  /** @type {any} */
  const Module = /** @type {any} */ (pyodide)._module;
  const FS = Module.FS;
  FS.mkdirTree(DATA_DIR);
  FS.chdir(DATA_DIR);
  const guards = installFsGuards(Module, config.fsQuotaBytes);

  const bootCode = `
def _agentd_boot(runner_source, lockdown_source, max_repr):
    import json, os, sys
    runner = {"__name__": "agentd_runner", "__file__": "/opt/agentd/agentd_runner.py"}
    exec(compile(runner_source, runner["__file__"], "exec"), runner)
    lockdown = {"__name__": "agentd_lockdown", "__file__": "/opt/agentd/pyodide_lockdown.py"}
    exec(compile(lockdown_source, lockdown["__file__"], "exec"), lockdown)
    for key in ("_", "PYTHONINSPECT"):
        os.environ.pop(key, None)
    namespace = runner["new_main_namespace"]()
    run_cell, dumps, streams = runner["run_cell"], json.dumps, (sys.stdout, sys.stderr)

    def run(code):
        try:
            outcome = run_cell(code, namespace, max_repr)
        except KeyboardInterrupt:  # a cancel that came before the cell's own code ran
            error = {"type": "KeyboardInterrupt", "message": "", "traceback": "KeyboardInterrupt\\n"}
            outcome = {"result": None, "error": error}
        finally:
            for stream in (sys.stdout, sys.stderr, *streams):
                try:
                    stream.flush()
                except BaseException:
                    pass
            sys.stdout, sys.stderr = streams
        return dumps(outcome)

    lockdown["install"]()
    # Warm the paths a call takes (compile, exec, repr, tracebacks) so a session's first call is fast.
    scratch = {"__name__": "__warmup__"}
    run_cell("import math\\nvalue = [math.sqrt(2)] * 3\\nvalue", scratch, max_repr)
    run_cell("1 / 0", scratch, max_repr)
    dumps({"warm": True})

    def restart_numbering():
        runner["_cells"] = 0

    return run, restart_numbering
_agentd_boot
`;
  const bootFn = pyodide.runPython(bootCode);
  const [run, restartNumbering] = bootFn(runnerSource, lockdownSource, config.resultChars).toJs({ depth: 1 });
  bootFn.destroy();
  // Forget the boot function's name in Python's __main__ too.
  pyodide.runPython('del _agentd_boot');

  disablePyodideHostAccess(pyodide, Module);
  removeNodeCapabilities();
  lockDownRealm();
  const runtime = { run, FS, guards, stdout, stderr };
  // The first call through the JavaScript side is slow too (cold JIT): make it here, not in a session.
  runCell(runtime, { type: 'run', id: 0, code: 'None', files: [] });
  restartNumbering();
  restartNumbering.destroy();
  /** @type {import('./worker-protocol.js').WorkerBootTimings} */
  const timings = {
    scriptAt,
    importMs: imported - started,
    loadMs: loaded - imported,
    setupMs: performance.now() - loaded,
    sharedModule: config.wasmModule !== null && sharedModuleUsed,
  };
  return { runtime, timings };
}

let sharedModuleUsed = false;

/**
 * Runs `preimport()` of the lockdown module in a namespace of its own, which is
 * dropped after: only the imported standard-library modules stay behind.
 * @param {any} pyodide @param {string} lockdownSource
 */
function preimport(pyodide, lockdownSource) {
  const run = pyodide.runPython(`
def _agentd_preimport(source):
    namespace = {"__name__": "agentd_lockdown"}
    exec(compile(source, "/opt/agentd/pyodide_lockdown.py", "exec"), namespace)
    namespace["preimport"]()
_agentd_preimport
`);
  run(lockdownSource);
  run.destroy();
  pyodide.runPython('del _agentd_preimport');
}

/**
 * Makes Pyodide instantiate the host's already compiled WebAssembly module
 * instead of compiling its 10 MB binary again in every worker (the largest
 * part of a boot from a snapshot). Returns the undo, run once Pyodide loaded.
 * @param {object | null} module a WebAssembly.Module
 */
function useCompiledModule(module) {
  if (!module) return () => undefined;
  const wasm = /** @type {any} */ (globalThis).WebAssembly;
  const instantiate = wasm.instantiate;
  wasm.instantiate = (/** @type {any} */ source, /** @type {any} */ imports) => {
    // Pyodide's main module is the one instantiated from bytes with its Jsv imports.
    if (!(source instanceof wasm.Module) && imports?.env?.Jsv_GetError_import) {
      sharedModuleUsed = true;
      return instantiate(module, imports).then((/** @type {any} */ instance) => ({ instance, module }));
    }
    return instantiate(source, imports);
  };
  return () => {
    wasm.instantiate = instantiate;
  };
}

/**
 * Caps the WASM heap: Emscripten grows memory through `Memory.prototype.grow`,
 * and treats a throw as an allocation failure, which Python sees as MemoryError.
 * @param {number} maxBytes
 */
function capWasmMemory(maxBytes) {
  const prototype = /** @type {any} */ (globalThis).WebAssembly.Memory.prototype;
  const grow = prototype.grow;
  Object.defineProperty(prototype, 'grow', {
    value: /** @this {{ buffer: ArrayBuffer }} @param {number} pages */ function (pages) {
      if (this.buffer.byteLength + pages * 65536 > maxBytes)
        throw new RangeError('the sandbox memory limit is reached');
      return grow.call(this, pages);
    },
    writable: false,
    configurable: false,
  });
}

/**
 * Removes what in Pyodide's and Emscripten's objects reaches the host: the
 * host file systems, package loading (downloads, host reads), Node sockets,
 * and makes every socket creation fail.
 * @param {any} pyodide @param {any} Module
 */
function disablePyodideHostAccess(pyodide, Module) {
  const api = Module.API;
  const remove = (/** @type {any} */ target, /** @type {string[]} */ keys) => {
    for (const key of keys) {
      try {
        delete target[key];
      } catch {}
      if (key in target) target[key] = undefined;
    }
  };
  const publicApi = Object.getPrototypeOf(pyodide) === Object.prototype ? pyodide : pyodide.constructor;
  remove(pyodide, [
    'loadPackage',
    'loadPackagesFromImports',
    'mountNodeFS',
    'mountNativeFS',
    'useNodeSockFS',
    'registerJsModule',
    'unregisterJsModule',
    'registerComlink',
    'unpackArchive',
    'runPythonAsync',
  ]);
  if (publicApi !== pyodide) remove(publicApi, ['mountNodeFS', 'mountNativeFS', 'useNodeSockFS']);
  remove(api, [
    'loadBinaryFile',
    'initializeNodeSockFS',
    'install',
    'loadDynlib',
    'packageManager',
    'makeSnapshot',
    'lockFilePromise',
    'package_loader',
    '_Comlink',
  ]);
  for (const fs of ['NODEFS', 'IDBFS', 'WORKERFS', 'PROXYFS', 'NATIVEFS_ASYNC', 'NODESOCKFS']) {
    remove(Module.FS.filesystems, [fs]);
    remove(Module, [fs]);
  }
  remove(Module, [
    'asyncLoad',
    'locateFile',
    'instantiateWasm',
    'loadDynamicLibrary',
    'loadWebAssemblyModule',
  ]);
  const { SOCKFS, FS, ERRNO_CODES } = Module;
  if (SOCKFS) {
    SOCKFS.createSocket = () => {
      throw new FS.ErrnoError(ERRNO_CODES.EACCES);
    };
  }
}

/**
 * @typedef {object} Runtime
 * @property {any} run The Python function that runs one cell and returns its outcome as JSON.
 * @property {any} FS Emscripten's file system.
 * @property {ReturnType<typeof installFsGuards>} guards
 * @property {CappedSink} stdout
 * @property {CappedSink} stderr
 */

/**
 * Runs one cell and gathers its output; the caller sends it.
 * @param {Runtime} runtime
 * @param {RunMessage} message
 */
function runCell(runtime, message) {
  const { FS, guards } = runtime;
  // The host clears the interrupt before it posts the cell: clearing it here would lose a
  // cancel that came between the post and this line (the cell would then run on).
  runtime.stdout.take();
  runtime.stderr.take();
  guards.writeInputs(message.files, DATA_DIR);
  guards.startCall();
  let outcome;
  try {
    outcome = JSON.parse(runtime.run(message.code));
  } finally {
    guards.endCall();
  }
  const stdout = runtime.stdout.take();
  const stderr = runtime.stderr.take();
  const files = guards
    .changedFiles(DATA_DIR)
    .map((path) => ({ path, bytes: FS.readFile(`${DATA_DIR}/${path}`) }));
  const output = {
    stdout: stdout.text,
    stderr: stderr.text,
    result: outcome.result,
    error: outcome.error,
    files,
    images: [],
    truncated: stdout.truncated || stderr.truncated,
  };
  return { output, transfer: files.map((file) => file.bytes.buffer) };
}

try {
  const { runtime, timings } = await boot();
  port.on('message', (/** @type {RunMessage} */ message) => {
    if (message.type !== 'run') return;
    try {
      const { output, transfer } = runCell(runtime, message);
      send({ type: 'result', id: message.id, output }, transfer);
    } catch (error) {
      send({
        type: 'failed',
        id: message.id,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
  send({ type: 'ready', timings });
} catch (error) {
  send({
    type: 'boot-failed',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  port.close();
}
