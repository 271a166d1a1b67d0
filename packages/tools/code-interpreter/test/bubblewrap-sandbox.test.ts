import { describeSandboxContract } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendants } from '../src/cpython/process-tree.js';
import { BubblewrapSandbox } from '../src/index.js';
import { hostProcessesWith, token } from './support/host-probes.js';

const sandboxProcesses = () =>
  descendants(process.pid).filter((p) => p.name === 'bwrap' || p.name.startsWith('python'));

describeSandboxContract('BubblewrapSandbox', async () => {
  const sandbox = new BubblewrapSandbox({ poolSize: 2, outputLimits: { stdoutChars: 2_000 } });
  return {
    sandbox,
    ready: () => sandbox.ready(),
    coldStarts: () => sandbox.stats.coldStarts,
    leftovers: sandboxProcesses,
    internalFrames: /agentd_/,
  };
});

const text = (value: string) => new TextEncoder().encode(value);
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// What CPython in bubblewrap adds: its scientific libraries, and no process outliving a time-out or a close.
describe('BubblewrapSandbox', () => {
  let sandbox: BubblewrapSandbox;
  beforeAll(async () => {
    sandbox = new BubblewrapSandbox({ poolSize: 2, outputLimits: { stdoutChars: 2_000 } });
    await sandbox.ready();
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('reads an uploaded CSV with pandas and computes with numpy', async () => {
    const result = await sandbox.run({
      code: [
        'import pandas as pd, numpy as np',
        'df = pd.read_csv("/mnt/data/sales.csv")',
        'print(df.groupby("region")["amount"].sum().to_dict())',
        'float(np.mean(df["amount"]))',
      ].join('\n'),
      sessionId: 'pandas',
      files: [{ path: 'sales.csv', bytes: text('region,amount\nnorth,10\nsouth,20\nnorth,30\n') }],
    });
    expect(result).toMatchObject({ status: 'ok', stdout: "{'north': 40, 'south': 20}\n", result: '20.0' });
    expect(result.files).toEqual([]);
    const overwrite = await sandbox.run({ code: 'open("/mnt/data/sales.csv", "w")', sessionId: 'pandas' });
    expect(overwrite.error?.message).toMatch(/Read-only file system/);
  });

  it('returns a matplotlib figure as a PNG without savefig or show', async () => {
    const result = await sandbox.run({
      code: 'import matplotlib.pyplot as plt\nplt.plot([1, 4, 9])\nplt.title("squares")\nNone',
      sessionId: 'plot',
    });
    expect(result.status).toBe('ok');
    expect(result.images).toHaveLength(1);
    expect(result.images[0]?.mimeType).toBe('image/png');
    expect([...result.images[0]!.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const shown = await sandbox.run({
      code: 'plt.plot([1]); plt.show()\nplt.bar([1, 2], [3, 4])',
      sessionId: 'plot',
    });
    expect(shown.images).toHaveLength(2);
    expect(shown.stderr).toBe('');
  });

  it('kills a timed-out sandbox with its whole process tree, while another session carries on', async () => {
    const marker = `agentd-marker-${token()}`;
    await sandbox.run({ code: 'survivor = 41', sessionId: 'bystander' });
    const spawned = await sandbox.run({
      code: `import subprocess, sys\nchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "${marker}"])\nchild.pid > 0`,
      sessionId: 'looper',
    });
    expect(spawned.result).toBe('True');
    // Polled: a process's command line reads empty for a moment while it execs.
    await expect.poll(() => hostProcessesWith(marker)).toHaveLength(1);
    const [looped, meanwhile] = await Promise.all([
      sandbox.run({ code: 'while True: pass', sessionId: 'looper', timeoutMs: 1_500 }),
      sandbox.run({ code: 'survivor + 1', sessionId: 'bystander' }),
    ]);
    expect(looped).toMatchObject({ status: 'timeout', sessionLost: true, error: { type: 'SandboxTimeout' } });
    expect(meanwhile).toMatchObject({ status: 'ok', result: '42' });
    await expect.poll(() => hostProcessesWith(marker), { timeout: 5_000 }).toEqual([]);
    expect((await sandbox.run({ code: 'child', sessionId: 'looper' })).error?.type).toBe('NameError');
    expect((await sandbox.run({ code: 'survivor', sessionId: 'bystander' })).result).toBe('41');
  });

  it('close() leaves no sandbox process behind', async () => {
    const marker = `agentd-marker-${token()}`;
    await sandbox.run({
      code: `import subprocess, sys\nsubprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "${marker}"])`,
      sessionId: 'closing',
    });
    // Polled: a process's command line reads empty for a moment while it execs.
    await expect.poll(() => hostProcessesWith(marker)).toHaveLength(1);
    await sandbox.close();
    expect(sandboxProcesses()).toEqual([]);
    await expect.poll(() => hostProcessesWith(marker), { timeout: 5_000 }).toEqual([]);
  });
});
