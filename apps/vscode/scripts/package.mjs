#!/usr/bin/env node
// Packages the built extension as a .vsix with @vscode/vsce: no dependencies
// collected (everything is in the bundle), no network. Prints the file's path.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const app = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const { name, version } = JSON.parse(readFileSync(`${app}package.json`, 'utf8'));
const out = process.argv[2] ?? `${app}dist/${name}-${version}.vsix`;
const vsce = require.resolve('@vscode/vsce/vsce');
execFileSync(
  process.execPath,
  [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out],
  { cwd: app, stdio: 'inherit' },
);
console.log(out);
