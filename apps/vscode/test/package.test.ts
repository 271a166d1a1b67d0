import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { readZip } from './support/read-zip.js';

const run = promisify(execFile);
const app = fileURLToPath(new URL('..', import.meta.url));
const repo = join(app, '../..');
const NO_NETWORK = join(app, 'test/support/no-network.cjs');

describe('the extension as VS Code installs it', () => {
  const out = mkdtempSync(join(tmpdir(), 'agentd-vsix-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('builds and packages a .vsix with @vscode/vsce, with the network cut off', {
    timeout: 600_000,
  }, async () => {
    const vsix = join(out, 'agentd.vsix');
    // Every node process of the build and of vsce starts with the network refused.
    const env = { ...process.env, NODE_OPTIONS: `--require=${NO_NETWORK}` };
    await run(process.execPath, [join(app, 'scripts/build.mjs')], { env, cwd: repo });
    const packed = await run(process.execPath, [join(app, 'scripts/package.mjs'), vsix], { env, cwd: repo });
    expect(packed.stderr).not.toContain('NETWORK ACCESS REFUSED');
    expect(packed.stdout).toContain('Packaged:');

    const entries = readZip(vsix);
    expect([...entries.keys()].sort()).toEqual([
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/dist/extension.js',
      'extension/dist/package.json',
      'extension/package.json',
      'extension/readme.md',
      'extension/schemas/tool-manifest.schema.json',
    ]);
    // The schema inside is the server's own file, byte for byte.
    expect(entries.get('extension/schemas/tool-manifest.schema.json')!.toString('utf8')).toBe(
      readFileSync(join(repo, 'packages/tools-gateway/schema/tool-manifest.schema.json'), 'utf8'),
    );
    // The bundle loads with nothing but VS Code and Node's own modules: unpacked outside the
    // repository (no node_modules above it) beside a stand-in `vscode` package, then required.
    const unpacked = join(out, 'installed');
    for (const [name, data] of entries) {
      if (!name.startsWith('extension/')) continue;
      mkdirSync(dirname(join(unpacked, name)), { recursive: true });
      writeFileSync(join(unpacked, name), data);
    }
    mkdirSync(join(unpacked, 'node_modules/vscode'), { recursive: true });
    writeFileSync(join(unpacked, 'node_modules/vscode/index.js'), 'module.exports = {};\n');
    const loaded = createRequire(import.meta.url)(join(unpacked, 'extension/dist/extension.js'));
    expect(typeof loaded.activate).toBe('function');

    const manifest = JSON.parse(entries.get('extension/package.json')!.toString('utf8'));
    const schema = JSON.parse(readFileSync(join(app, 'test/vscode-extension-manifest.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
    expect(entries.has(`extension/${manifest.main.replace(/^\.\//, '')}`)).toBe(true);
    for (const rule of manifest.contributes.jsonValidation) {
      expect(entries.has(`extension/${rule.url.replace(/^\.\//, '')}`)).toBe(true);
    }
  });

  it('registers every command its package.json contributes, and contributes every one it registers', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    const contributed = manifest.contributes.commands
      .map((command: { command: string }) => command.command)
      .sort();
    const sources = ['extension.ts', 'vscode/replay-view.ts', 'vscode/manifest-diagnostics.ts']
      .map((file) => readFileSync(join(app, 'src', file), 'utf8'))
      .join('\n');
    const registered = [...sources.matchAll(/registerCommand\('([^']+)'/g)].map((match) => match[1]).sort();
    expect(registered).toEqual(contributed);
    // @vscode/vsce refuses an @types/vscode newer than the engine; pinned to the same version.
    expect(manifest.engines.vscode).toBe(`^${manifest.devDependencies['@types/vscode']}`);
  });
});
