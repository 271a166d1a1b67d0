import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PyodideSandbox } from '../src/index.js';

let sandbox: PyodideSandbox;
let portsBefore = 0;
const openPorts = () => process.getActiveResourcesInfo().filter((name) => name === 'MessagePort').length;
const text = (value: string) => new TextEncoder().encode(value);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

beforeAll(async () => {
  portsBefore = openPorts();
  sandbox = new PyodideSandbox({ poolSize: 2, outputLimits: { stdoutChars: 2_000 } });
  await sandbox.ready();
});

afterAll(async () => {
  await sandbox?.close();
});

describe('PyodideSandbox', () => {
  it('gives a new session a pre-booted worker: no cold start', async () => {
    await sandbox.ready();
    const before = sandbox.stats;
    const result = await sandbox.run({ code: 'print(1)', sessionId: 'warm-check' });
    expect(result).toMatchObject({ status: 'ok', stdout: '1\n' });
    expect(sandbox.stats.coldStarts).toBe(before.coldStarts);
    expect(sandbox.stats.sessions).toBe(before.sessions + 1);
  });

  it('keeps variables, imports and files across calls, like a notebook', async () => {
    const first = await sandbox.run({
      code: 'import math\nx = 5\nopen("/mnt/data/notes.txt", "w").write("kept")',
      sessionId: 'state',
    });
    expect(first.status).toBe('ok');
    const second = await sandbox.run({
      code: 'open("/mnt/data/notes.txt").read(), math.sqrt(x * 5)',
      sessionId: 'state',
    });
    expect(second).toMatchObject({ status: 'ok', result: "('kept', 5.0)" });
    const other = await sandbox.run({ code: 'x', sessionId: 'misc' });
    expect(other.error?.type).toBe('NameError');
  });

  it("returns the last expression's repr, and nothing for None or a statement", async () => {
    expect((await sandbox.run({ code: 'y = [1, "a"]\ny', sessionId: 'misc' })).result).toBe("[1, 'a']");
    expect((await sandbox.run({ code: 'None', sessionId: 'misc' })).result).toBeNull();
    expect((await sandbox.run({ code: 'z = 1', sessionId: 'misc' })).result).toBeNull();
  });

  it('reports an exception with a traceback trimmed to the user code', async () => {
    const result = await sandbox.run({
      code: 'def inner():\n    return 1 / 0\n\ndef outer():\n    return inner()\n\nouter()',
      sessionId: 'misc',
    });
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({ type: 'ZeroDivisionError', message: 'division by zero' });
    const traceback = result.error!.traceback;
    expect(traceback).toMatch(/^Traceback \(most recent call last\):/);
    expect(traceback).toContain('line 7, in <module>');
    expect(traceback).toContain('in inner\n    return 1 / 0');
    expect(traceback).not.toMatch(/agentd|_pyodide|pyodide\//);
    const syntax = await sandbox.run({ code: 'def broken(:\n  pass', sessionId: 'misc' });
    expect(syntax.error?.type).toBe('SyntaxError');
    expect(syntax.error?.traceback).not.toContain('Traceback');
  });

  it('returns files written under /mnt/data, and keeps input files read-only', async () => {
    const result = await sandbox.run({
      code: [
        'import csv',
        'rows = list(csv.reader(open("/mnt/data/in/sales.csv")))',
        'with open("/mnt/data/out/report.csv", "w") as f:',
        '    f.write("total\\n%d\\n" % sum(int(r[1]) for r in rows[1:]))',
        'len(rows)',
      ].join('\n'),
      sessionId: 'files',
      files: [{ path: 'in/sales.csv', bytes: text('day,amount\nmon,3\ntue,4\n') }],
    });
    // The directory must exist for the write; create it in the cell, as a user would.
    expect(result.status).toBe('error');
    const retry = await sandbox.run({
      code: [
        'import csv, os',
        'os.makedirs("/mnt/data/out", exist_ok=True)',
        'rows = list(csv.reader(open("/mnt/data/in/sales.csv")))',
        'with open("/mnt/data/out/report.csv", "w") as f:',
        '    f.write("total\\n%d\\n" % sum(int(r[1]) for r in rows[1:]))',
        'len(rows)',
      ].join('\n'),
      sessionId: 'files',
    });
    expect(retry).toMatchObject({ status: 'ok', result: '3' });
    expect(retry.files).toHaveLength(1);
    expect(retry.files[0]).toMatchObject({ path: '/mnt/data/out/report.csv', mimeType: 'text/csv' });
    expect(decode(retry.files[0]!.bytes)).toBe('total\n7\n');
    const write = await sandbox.run({
      code: 'open("/mnt/data/in/sales.csv", "w").write("x")',
      sessionId: 'files',
    });
    expect(write.error?.type).toBe('PermissionError');
    const unchanged = await sandbox.run({
      code: 'open("/mnt/data/in/sales.csv").read()',
      sessionId: 'files',
    });
    expect(unchanged.result).toBe("'day,amount\\nmon,3\\ntue,4\\n'");
    expect(unchanged.files).toEqual([]);
  });

  it('refuses input paths outside /mnt/data', async () => {
    const result = await sandbox.run({
      code: '1',
      sessionId: 'paths',
      files: [{ path: '../../etc/passwd', bytes: text('x') }],
    });
    expect(result).toMatchObject({ status: 'error', error: { type: 'InvalidRequest' } });
  });

  it('caps a huge output and marks it truncated', async () => {
    const result = await sandbox.run({ code: 'print("x" * 5_000_000)', sessionId: 'misc' });
    expect(result.status).toBe('ok');
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBeLessThan(2_200);
    expect(result.stdout).toMatch(/truncated/);
  });

  it('cancels a running cell with KeyboardInterrupt and keeps the session', async () => {
    await sandbox.run({ code: 'kept = "yes"', sessionId: 'state' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await sandbox.run({
      code: 'while True: pass',
      sessionId: 'state',
      signal: controller.signal,
    });
    expect(result).toMatchObject({
      status: 'cancelled',
      sessionLost: false,
      error: { type: 'KeyboardInterrupt' },
    });
    expect((await sandbox.run({ code: 'kept', sessionId: 'state' })).result).toBe("'yes'");
  });

  it('keeps a cancel that comes before the worker starts the cell: KeyboardInterrupt, the session kept', async () => {
    await sandbox.run({ code: 'early = "kept"', sessionId: 'early-cancel' });
    const controller = new AbortController();
    const running = sandbox.run({
      code: 'while True: pass',
      sessionId: 'early-cancel',
      signal: controller.signal,
    });
    // Accepted, not yet running in the worker: the cancel must still reach the cell.
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({
      status: 'cancelled',
      sessionLost: false,
      error: { type: 'KeyboardInterrupt' },
    });
    expect((await sandbox.run({ code: 'early', sessionId: 'early-cancel' })).result).toBe("'kept'");
  });

  it('terminates a timed-out worker and replaces it, while another session carries on', async () => {
    await sandbox.run({ code: 'survivor = 41', sessionId: 'bystander' });
    await sandbox.run({ code: 'doomed = 1', sessionId: 'looper' });
    const [looped, meanwhile] = await Promise.all([
      sandbox.run({ code: 'while True: pass', sessionId: 'looper', timeoutMs: 1_500 }),
      new Promise((resolve) => setTimeout(resolve, 200)).then(() =>
        sandbox.run({ code: 'survivor + 1', sessionId: 'bystander' }),
      ),
    ]);
    expect(looped).toMatchObject({ status: 'timeout', sessionLost: true, error: { type: 'SandboxTimeout' } });
    expect(looped.error?.message).toMatch(/session was reset/);
    expect(meanwhile).toMatchObject({ status: 'ok', result: '42' });
    const fresh = await sandbox.run({ code: 'doomed', sessionId: 'looper' });
    expect(fresh.error?.type).toBe('NameError');
    expect((await sandbox.run({ code: 'survivor', sessionId: 'bystander' })).result).toBe('41');
  });

  it('reset() forgets a session', async () => {
    await sandbox.run({ code: 'v = 1', sessionId: 'misc' });
    await sandbox.reset('misc');
    expect((await sandbox.run({ code: 'v', sessionId: 'misc' })).error?.type).toBe('NameError');
  });

  it('close() stops every worker', async () => {
    expect(openPorts()).toBeGreaterThan(portsBefore);
    await sandbox.close();
    expect(openPorts()).toBe(portsBefore);
    const after = await sandbox.run({ code: '1', sessionId: 'misc' });
    expect(after).toMatchObject({ status: 'killed', error: { type: 'SandboxUnavailable' } });
  });
});
