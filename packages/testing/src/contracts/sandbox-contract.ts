import type { Sandbox } from '@agentd/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** One sandbox implementation, started for the suite. */
export interface SandboxSubject {
  /** Started with a warm pool of at least 2 and stdout capped at 2,000 characters. */
  sandbox: Sandbox;
  /** Resolves once the warm pool is booted. */
  ready(): Promise<void>;
  /** Sessions that had to wait for a boot so far. */
  coldStarts(): number;
  /** What the sandbox still holds on the host (worker ports, processes); empty after close(). */
  leftovers(): Promise<unknown[]> | unknown[];
  /** Frames of the sandbox's own code, which a traceback must not show. */
  internalFrames: RegExp;
}

const text = (value: string) => new TextEncoder().encode(value);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * The behaviour every Sandbox promises the code interpreter tool, run against
 * each implementation with the real interpreter: sessions like notebooks and
 * apart from each other, results and errors as the tool shows them, files in
 * (read-only) and out, output capped, cancellation that keeps the session,
 * time-outs that lose only the looping session, reset, and a close that
 * leaves nothing behind.
 */
export function describeSandboxContract(name: string, make: () => Promise<SandboxSubject>): void {
  describe(`Sandbox contract: ${name}`, () => {
    let subject: SandboxSubject;
    let sandbox: Sandbox;
    beforeAll(async () => {
      subject = await make();
      sandbox = subject.sandbox;
      await subject.ready();
    });
    afterAll(() => sandbox?.close());

    it('gives a new session a booted interpreter: no cold start', async () => {
      await subject.ready();
      const before = subject.coldStarts();
      expect(await sandbox.run({ code: 'print(1)', sessionId: 'warm' })).toMatchObject({
        status: 'ok',
        stdout: '1\n',
        stderr: '',
        error: null,
      });
      expect(subject.coldStarts()).toBe(before);
    });

    it('keeps variables, imports and files across the calls of a session, and apart from other sessions', async () => {
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
      const other = await sandbox.run({ code: 'import os\nx', sessionId: 'elsewhere' });
      expect(other).toMatchObject({ status: 'error', error: { type: 'NameError' } });
      const files = await sandbox.run({
        code: 'os.path.exists("/mnt/data/notes.txt")',
        sessionId: 'elsewhere',
      });
      expect(files.result).toBe('False');
    });

    it("returns the last expression's repr, and nothing for None or a statement", async () => {
      expect((await sandbox.run({ code: 'y = [1, "a"]\ny', sessionId: 'misc' })).result).toBe("[1, 'a']");
      expect((await sandbox.run({ code: 'None', sessionId: 'misc' })).result).toBeNull();
      expect((await sandbox.run({ code: 'z = 1', sessionId: 'misc' })).result).toBeNull();
    });

    it("reports an exception as a status, with a traceback of the user's frames only", async () => {
      const result = await sandbox.run({
        code: 'def inner():\n    return 1 / 0\n\ndef outer():\n    return inner()\n\nouter()',
        sessionId: 'misc',
      });
      expect(result).toMatchObject({
        status: 'error',
        sessionLost: false,
        error: { type: 'ZeroDivisionError', message: 'division by zero' },
      });
      expect(result.error?.traceback).toMatch(/line 7, in <module>/);
      expect(result.error?.traceback).toContain('return 1 / 0');
      expect(result.error?.traceback).not.toMatch(subject.internalFrames);
      const syntax = await sandbox.run({ code: 'def broken(:\n  pass', sessionId: 'misc' });
      expect(syntax).toMatchObject({ status: 'error', error: { type: 'SyntaxError' } });
    });

    it('returns the files a call writes under /mnt/data, and keeps input files read-only', async () => {
      const result = await sandbox.run({
        code: [
          'import csv, os',
          'os.makedirs("/mnt/data/out", exist_ok=True)',
          'rows = list(csv.reader(open("/mnt/data/in/sales.csv")))',
          'with open("/mnt/data/out/report.csv", "w") as f:',
          '    f.write("total\\n%d\\n" % sum(int(r[1]) for r in rows[1:]))',
          'len(rows)',
        ].join('\n'),
        sessionId: 'files',
        files: [{ path: 'in/sales.csv', bytes: text('day,amount\nmon,3\ntue,4\n') }],
      });
      expect(result).toMatchObject({ status: 'ok', result: '3' });
      expect(result.files.map((file) => [file.path, file.mimeType, decode(file.bytes)])).toEqual([
        ['/mnt/data/out/report.csv', 'text/csv', 'total\n7\n'],
      ]);
      const write = await sandbox.run({
        code: 'open("/mnt/data/in/sales.csv", "w").write("x")',
        sessionId: 'files',
      });
      expect(write.status).toBe('error');
      const unchanged = await sandbox.run({
        code: 'open("/mnt/data/in/sales.csv").read()',
        sessionId: 'files',
      });
      expect(unchanged.result).toBe("'day,amount\\nmon,3\\ntue,4\\n'");
      expect(unchanged.files).toEqual([]);
    });

    it('refuses an input path outside /mnt/data without running the code', async () => {
      const result = await sandbox.run({
        code: 'print("ran")',
        sessionId: 'paths',
        files: [{ path: '../../etc/passwd', bytes: text('x') }],
      });
      expect(result).toMatchObject({ status: 'error', stdout: '', error: { type: 'InvalidRequest' } });
    });

    it('caps a huge output and says it was cut', async () => {
      const result = await sandbox.run({ code: 'print("x" * 5_000_000)', sessionId: 'misc' });
      expect(result.status).toBe('ok');
      expect(result.truncated).toBe(true);
      expect(result.stdout.length).toBeLessThan(2_200);
      expect(result.stdout).toMatch(/truncated/);
    });

    it('cancels a running cell with KeyboardInterrupt and keeps the session', async () => {
      await sandbox.run({ code: 'kept = "yes"', sessionId: 'cancel' });
      const controller = new AbortController();
      const running = sandbox.run({
        code: 'while True: pass',
        sessionId: 'cancel',
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 300);
      expect(await running).toMatchObject({
        status: 'cancelled',
        sessionLost: false,
        error: { type: 'KeyboardInterrupt' },
      });
      expect((await sandbox.run({ code: 'kept', sessionId: 'cancel' })).result).toBe("'yes'");
    });

    it('keeps a cancel that comes before the cell starts: KeyboardInterrupt, the session kept', async () => {
      await sandbox.run({ code: 'early = "kept"', sessionId: 'early-cancel' });
      const controller = new AbortController();
      const running = sandbox.run({
        code: 'while True: pass',
        sessionId: 'early-cancel',
        signal: controller.signal,
      });
      controller.abort();
      expect(await running).toMatchObject({ status: 'cancelled', sessionLost: false });
      expect((await sandbox.run({ code: 'early', sessionId: 'early-cancel' })).result).toBe("'kept'");
    });

    it('ends a cell past its time-out and loses only that session, while another carries on', async () => {
      await sandbox.run({ code: 'survivor = 41', sessionId: 'bystander' });
      await sandbox.run({ code: 'doomed = 1', sessionId: 'looper' });
      const [looped, meanwhile] = await Promise.all([
        sandbox.run({ code: 'while True: pass', sessionId: 'looper', timeoutMs: 1_500 }),
        sandbox.run({ code: 'survivor + 1', sessionId: 'bystander' }),
      ]);
      expect(looped).toMatchObject({
        status: 'timeout',
        sessionLost: true,
        error: { type: 'SandboxTimeout' },
      });
      expect(meanwhile).toMatchObject({ status: 'ok', result: '42' });
      expect((await sandbox.run({ code: 'doomed', sessionId: 'looper' })).error?.type).toBe('NameError');
      expect((await sandbox.run({ code: 'survivor', sessionId: 'bystander' })).result).toBe('41');
    });

    it('reset() forgets a session', async () => {
      await sandbox.run({ code: 'v = 1', sessionId: 'forget' });
      await sandbox.reset('forget');
      expect((await sandbox.run({ code: 'v', sessionId: 'forget' })).error?.type).toBe('NameError');
    });

    it('close() leaves nothing behind, and later calls are refused as killed', async () => {
      expect((await subject.leftovers()).length).toBeGreaterThan(0);
      await sandbox.close();
      expect(await subject.leftovers()).toEqual([]);
      expect(await sandbox.run({ code: '1', sessionId: 'misc' })).toMatchObject({
        status: 'killed',
        error: { type: 'SandboxUnavailable' },
      });
    });
  });
}
