#!/usr/bin/env node
// Builds the extension: the manifest schema copied from the file the server
// serves (packages/tools-gateway/schema), a type check against the VS Code API,
// and one CommonJS bundle (esbuild) with the SDK inside, so the .vsix needs
// no node_modules and nothing is downloaded.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const app = fileURLToPath(new URL('..', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);

mkdirSync(`${app}schemas`, { recursive: true });
copyFileSync(
  `${repo}packages/tools-gateway/schema/tool-manifest.schema.json`,
  `${app}schemas/tool-manifest.schema.json`,
);

const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', `${app}tsconfig.json`], { stdio: 'inherit' });

await build({
  entryPoints: [`${app}src/extension.ts`],
  outfile: `${app}dist/extension.js`,
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  // ES modules first: jsonc-parser's main build is UMD, whose require()s a bundler cannot follow.
  mainFields: ['module', 'main'],
  // The workspace packages' sources: the bundle never depends on a stale dist/.
  alias: {
    '@agentd/sdk': `${repo}packages/sdk/src/index.ts`,
    '@agentd/spec': `${repo}packages/spec/src/index.ts`,
  },
  logLevel: 'warning',
});
// The app's package.json says "type": "module" (its tests and scripts); the bundle is CommonJS.
writeFileSync(`${app}dist/package.json`, '{ "type": "commonjs" }\n');
console.log('built apps/vscode/dist/extension.js');
