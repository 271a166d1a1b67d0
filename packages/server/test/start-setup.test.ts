import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// scripts/system-deps.mjs runs before anything is installed, so it is plain JavaScript: imported by URL.
const SCRIPT = fileURLToPath(new URL('../../../scripts/system-deps.mjs', import.meta.url));

interface SetupOptions {
  env?: Record<string, string>;
  root?: boolean;
  isInstalled?: (name: string) => boolean;
  install?: (names: string[]) => string | undefined;
  hasDpkg?: () => boolean;
  log?: (line: string) => void;
}
interface SystemDeps {
  TOOL_PACKAGES: string[];
  ensureToolPackages(options: SetupOptions): string;
}
const load = async () => (await import(pathToFileURL(SCRIPT).href)) as SystemDeps;

describe('npm start’s set-up of the built-in tools’ Debian packages', () => {
  const missingChromium = (name: string) => name !== 'chromium' && name !== 'fonts-dejavu-core';

  it('lists what the tools need, not the test servers', async () => {
    const { TOOL_PACKAGES } = await load();
    expect(TOOL_PACKAGES).toEqual(
      expect.arrayContaining([
        'bubblewrap',
        'python3-numpy',
        'python3-pandas',
        'python3-matplotlib',
        'chromium',
      ]),
    );
    expect(TOOL_PACKAGES).not.toContain('postgresql');
    expect(TOOL_PACKAGES).not.toContain('redis-server');
  });

  it('as another user prints the one apt-get line, installs nothing, and goes on', async () => {
    const { ensureToolPackages } = await load();
    const lines: string[] = [];
    const installs: string[][] = [];
    const outcome = ensureToolPackages({
      env: {},
      root: false,
      hasDpkg: () => true,
      isInstalled: missingChromium,
      install: (names) => {
        installs.push(names);
        return undefined;
      },
      log: (line) => lines.push(line),
    });
    expect(outcome).toBe('printed');
    expect(installs).toEqual([]);
    expect(lines.join('\n')).toContain(
      '  sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core\n',
    );
    expect(lines.join('\n')).toContain('starting anyway');
  });

  it('as root installs what is missing', async () => {
    const { ensureToolPackages } = await load();
    const installs: string[][] = [];
    const outcome = ensureToolPackages({
      env: {},
      root: true,
      hasDpkg: () => true,
      isInstalled: missingChromium,
      install: (names) => {
        installs.push(names);
        return undefined;
      },
      log: () => undefined,
    });
    expect(outcome).toBe('installed');
    expect(installs).toEqual([['chromium', 'fonts-dejavu-core']]);
  });

  it('never stops the start when apt fails, throws, or is not there', async () => {
    const { ensureToolPackages } = await load();
    const lines: string[] = [];
    const base = {
      env: {},
      root: true,
      hasDpkg: () => true,
      isInstalled: missingChromium,
      log: (line: string) => lines.push(line),
    };
    expect(ensureToolPackages({ ...base, install: () => 'apt-get update failed' })).toBe('failed');
    expect(lines.at(-1)).toContain('apt-get update failed; starting anyway');
    expect(
      ensureToolPackages({
        ...base,
        install: () => {
          throw new Error('spawnSync apt-get ENOENT');
        },
      }),
    ).toBe('failed');
    expect(lines.at(-1)).toContain('spawnSync apt-get ENOENT; starting anyway');
    expect(ensureToolPackages({ ...base, hasDpkg: () => false })).toBe('no-dpkg');
    expect(ensureToolPackages({ ...base, env: { AGENTD_SKIP_SYSTEM_PACKAGES: '1' } })).toBe('skipped');
  });

  it('does nothing when everything is there', async () => {
    const { ensureToolPackages } = await load();
    expect(ensureToolPackages({ env: {}, root: true, hasDpkg: () => true, isInstalled: () => true })).toBe(
      'ok',
    );
  });
});
