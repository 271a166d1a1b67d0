import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendants } from '../src/cpython/process-tree.js';
import { BubblewrapSandbox, type SandboxResult, seccompProgram } from '../src/index.js';
import { allText, startRecordingServer, token, writeCanaryFile } from './support/host-probes.js';

const CANARY = `env-canary-${token()}`;
process.env.AGENTD_TEST_CANARY = CANARY;

let sandbox: BubblewrapSandbox;
let server: Awaited<ReturnType<typeof startRecordingServer>>;
let canaryFile: ReturnType<typeof writeCanaryFile>;
const outputs: string[] = [];

async function run(code: string, sessionId = 'attacker', target = sandbox): Promise<SandboxResult> {
  const result = await target.run({ code, sessionId, timeoutMs: 20_000 });
  outputs.push(allText(result));
  return result;
}

const PTRACE_TRACEME =
  'import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n(libc.ptrace(0, 0, 0, 0), os.strerror(ctypes.get_errno()))';

beforeAll(async () => {
  canaryFile = writeCanaryFile();
  server = await startRecordingServer();
  sandbox = new BubblewrapSandbox({
    poolSize: 1,
    memoryMb: 1024,
    maxProcesses: 32,
    tmpQuotaBytes: 16 * 1024 * 1024,
  });
  await sandbox.ready();
});

afterAll(async () => {
  await sandbox?.close();
  await server?.close();
  canaryFile?.remove();
});

describe('CPython sandbox: isolation from the host', () => {
  it('runs as an unprivileged user, inside and on the host', async () => {
    const result = await run('import os\n(os.getuid(), os.getgid(), os.geteuid())');
    expect(result.result).toBe('(65534, 65534, 65534)');
    if (process.getuid?.() === 0) {
      const uids = sandboxHostUids();
      expect(uids.length).toBeGreaterThan(0);
      expect(uids.every((uid) => uid === 65534)).toBe(true);
    }
  });

  it('does not expose the host environment', async () => {
    const result = await run(
      'import os\nprint(dict(os.environ))\nprint(open("/proc/self/environ", "rb").read())\nprint(open("/proc/1/environ", "rb").read())\nos.environ.get("AGENTD_TEST_CANARY")',
    );
    expect(result.status).toBe('ok');
    expect(result.result).toBeNull();
    expect(allText(result)).not.toContain(CANARY);
  });

  it("cannot read the host's /etc/passwd, the server's files or a host canary", async () => {
    const passwd = await run('open("/etc/passwd").read()');
    expect(passwd.error?.type).toBe('FileNotFoundError');
    const here = fileURLToPath(import.meta.url);
    for (const path of [here, canaryFile.path, '/root', '/work', '/home']) {
      const result = await run(`import os\nos.stat(${JSON.stringify(path)})`);
      expect(result.error?.type, path).toBe('FileNotFoundError');
    }
    const root = await run('import os\nsorted(os.listdir("/"))');
    expect(root.result).toBe(
      "['bin', 'dev', 'etc', 'lib', 'lib64', 'mnt', 'opt', 'proc', 'sbin', 'tmp', 'usr']",
    );
  });

  it('writes nothing to the host: the root is read-only and /tmp is its own', async () => {
    const escapePath = `/tmp/agentd-escape-${token()}`;
    const tmp = await run(`open(${JSON.stringify(escapePath)}, "w").write("x")`);
    expect(tmp.result).toBe('1');
    expect(existsSync(escapePath)).toBe(false);
    for (const path of ['/usr/lib/agentd-pwned', '/etc/agentd-pwned', '/agentd-pwned', '/dev/agentd-pwned']) {
      const result = await run(`open(${JSON.stringify(path)}, "w")`);
      expect(result.error?.message, path).toMatch(/Read-only file system/);
    }
  });

  it('has no network: no socket but AF_UNIX, no HTTP request', async () => {
    const socket = await run(
      `import socket\nsocket.create_connection(("127.0.0.1", ${server.port}), timeout=2)`,
    );
    expect(socket.error?.type).toBe('PermissionError');
    const http = await run(
      `import urllib.request\nurllib.request.urlopen("http://127.0.0.1:${server.port}/", timeout=2)`,
    );
    expect(http.status).toBe('error');
    expect(http.error?.message).toMatch(/Operation not permitted/);
    const dns = await run('import socket\nsocket.getaddrinfo("example.com", 80)');
    expect(dns.status).toBe('error');
    expect(server.requests).toEqual([]);
    expect(server.connections).toEqual([]);
  });

  it('finds no program to start: no shell, no tools', async () => {
    const system = await run('import os\nos.system("touch /mnt/data/pwned")');
    expect(system.result).toBe(String(127 << 8));
    const subprocess = await run('import subprocess\nsubprocess.run(["sh", "-c", "id"])');
    expect(subprocess.error?.type).toBe('FileNotFoundError');
  });

  it('stops a fork bomb at RLIMIT_NPROC', async () => {
    const result = await run(
      'import os, time\ncount = 0\nwhile True:\n    pid = os.fork()\n    if pid == 0:\n        time.sleep(60)\n        os._exit(0)\n    count += 1',
      'fork-bomb',
    );
    expect(result.error?.type).toBe('BlockingIOError');
    expect(result.error?.message).toMatch(/Resource temporarily unavailable/);
    expect((await run('count < 32', 'fork-bomb')).result).toBe('True');
    await sandbox.reset('fork-bomb');
  });

  it('stops a memory bomb with MemoryError and the session lives on', async () => {
    expect((await run('x = bytearray(4 * 1024**3)', 'memory')).error?.type).toBe('MemoryError');
    const growing = await run(
      'chunks = []\nwhile True:\n    chunks.append(bytearray(50 * 1024**2))',
      'memory',
    );
    expect(growing.error?.type).toBe('MemoryError');
    expect((await run('del chunks\n"alive"', 'memory')).result).toBe("'alive'");
  });

  it('caps a huge output', async () => {
    const result = await run(
      'import sys\nfor i in range(200_000):\n    print(i)\nsys.stdout.write("x" * 10**6)',
    );
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBeLessThan(25_000);
  });

  it('stops writes past the /mnt/data and /tmp quotas', async () => {
    const data = await run(
      'with open("/mnt/data/big.bin", "wb") as f:\n    for i in range(150):\n        f.write(b"\\0" * 1024 * 1024)',
      'quota',
    );
    expect(data.error?.type).toBe('OSError');
    expect(data.error?.message).toMatch(/No space left on device|File too large/);
    const tmp = await run('open("/tmp/big.bin", "wb").write(b"\\0" * 32 * 1024 * 1024)', 'quota');
    expect(tmp.error?.message).toMatch(/No space left on device/);
  });

  it('stops an infinite loop at the time limit', async () => {
    const result = await sandbox.run({ code: 'while True: pass', sessionId: 'loop', timeoutMs: 1_000 });
    outputs.push(allText(result));
    expect(result).toMatchObject({ status: 'timeout', sessionLost: true });
  });

  it('applies the seccomp filter: ptrace, unshare and mount are refused', async () => {
    expect(sandbox.seccompApplied).toBe(process.arch === 'x64');
    if (process.arch !== 'x64') return;
    expect((await run(PTRACE_TRACEME)).result).toBe("(-1, 'Operation not permitted')");
    const unshare = await run(
      'import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n(libc.unshare(0x00020000), os.strerror(ctypes.get_errno()))',
    );
    expect(unshare.result).toBe("(-1, 'Operation not permitted')");
    // Without the filter the same call succeeds, so the test above is the filter's doing.
    const unfiltered = new BubblewrapSandbox({ poolSize: 0, seccomp: false });
    try {
      expect((await run(PTRACE_TRACEME, 'no-seccomp', unfiltered)).result).toBe("(0, 'Success')");
    } finally {
      await unfiltered.close();
    }
  });

  it('assembles a well-formed seccomp program', () => {
    const program = seccompProgram('x64');
    expect(program).not.toBeNull();
    expect(program!.byteLength % 8).toBe(0);
    expect(program!.byteLength / 8).toBeGreaterThan(60);
    expect(seccompProgram('arm64')).toBeNull();
  });

  it('never showed the canary secret in any output', () => {
    expect(outputs.length).toBeGreaterThan(15);
    for (const output of outputs) {
      expect(output).not.toContain(CANARY);
      expect(output).not.toContain(canaryFile.secret);
    }
  });
});

/** Host uids of every process under this test's bubblewrap sandboxes. */
function sandboxHostUids(): number[] {
  const uids: number[] = [];
  for (const child of descendants(process.pid)) {
    if (child.name !== 'bwrap' && !child.name.startsWith('python')) continue;
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    if (uid !== undefined) uids.push(Number(uid));
  }
  return uids;
}
