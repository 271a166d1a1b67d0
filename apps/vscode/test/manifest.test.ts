import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_MANIFEST_SCHEMA, validateManifest } from '@agentd/tools-gateway';
import { afterAll, describe, expect, it } from 'vitest';
import { checkManifestText } from '../src/manifest/check-manifest-text.js';
import { ManifestChecker } from '../src/manifest/manifest-checker.js';
import { formatReport, validateToolDir } from '../src/manifest/validate-tool-dir.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
// The file the build ships in the extension is this one, copied (package.test.ts checks the copy).
const schema = JSON.parse(
  readFileSync(join(repo, 'packages/tools-gateway/schema/tool-manifest.schema.json'), 'utf8'),
);
const checker = new ManifestChecker(schema);

const http = { type: 'http', url: 'https://weather.example/now' };
const SAMPLES: unknown[] = [
  { name: 'weather', input_schema: { type: 'object' }, adapter: http },
  { name: 'weather', adapter: http },
  { name: 'weather', input_schema: { type: 'object' }, adapter: http, retries: 2 },
  { name: 'weather', input_schema: { type: 'object' }, adapter: http, retries: 2, idempotent: true },
  { name: 'weather', input_schema: { type: 'nope' }, adapter: http },
  { name: 'weather', input_schema: { type: 'object' }, adapter: { type: 'http' } },
  { name: 'weather', input_schema: { type: 'object' }, adapter: http, colour: 'red' },
  { name: 'docs', adapter: { type: 'openapi', document: 'https://api.example/openapi.json' } },
  { name: 'fs', adapter: { type: 'mcp', transport: 'stdio', command: 'node' } },
  { name: 'fs', adapter: { type: 'mcp', transport: 'http' } },
  {
    name: 'w',
    input_schema: { type: 'object' },
    adapter: http,
    capabilities: [
      { name: 'a', confidence: 0.5 },
      { name: 'a', confidence: 0.4 },
    ],
  },
  { name: 'w', input_schema: { type: 'object' }, adapter: http, timeout_ms: -1 },
  'not an object',
];

describe('manifest validation in the editor', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('ships the schema the server serves', () => {
    expect(schema).toEqual(TOOL_MANIFEST_SCHEMA);
  });

  it("agrees with the server's validateManifest on every sample", () => {
    for (const sample of SAMPLES) {
      expect({ sample, ok: checker.problems(sample).length === 0 }).toEqual({
        sample,
        ok: validateManifest(sample).ok,
      });
    }
  });

  it('accepts the example manifests of the repository', () => {
    for (const file of [
      'examples/tools/weather.json',
      'examples/mini-stack/tools/convert.tool.json',
      'examples/mini-stack/tools/notes.tool.json',
      'examples/mini-stack/tools/catalog.tool.json',
    ]) {
      expect({ file, problems: checkManifestText(readFileSync(join(repo, file), 'utf8'), checker) }).toEqual({
        file,
        problems: [],
      });
    }
  });

  it('puts each problem on its field: line and column, as the editor underlines them', () => {
    const text = [
      '{',
      '  "name": "weather",',
      '  "input_schema": { "type": "object" },',
      '  "adapter": { "type": "http", "url": "https://weather.example" },',
      '  "retries": 2,',
      '  "colour": "red"',
      '}',
    ].join('\n');
    expect(checkManifestText(text, checker)).toEqual([
      {
        field: 'colour',
        message: 'is not a known field',
        start: { line: 5, character: 2 },
        end: { line: 5, character: 10 },
      },
    ]);
    const fixed = text.replace(',\n  "colour": "red"', '');
    expect(checkManifestText(fixed, checker)).toEqual([
      {
        field: 'retries',
        message: 'only tools marked idempotent may be retried; set idempotent: true',
        start: { line: 4, character: 2 },
        end: { line: 4, character: 11 },
      },
    ]);
    // Files VS Code already checks against the schema get only the rules from the extension.
    expect(checkManifestText(text, checker, { only: 'rules' }).map((problem) => problem.field)).toEqual([
      'retries',
    ]);
  });

  it('names a missing field on its parent, and reports bad JSON where it breaks', () => {
    const missing = checkManifestText(
      '{\n  "name": "x",\n  "adapter": {\n    "type": "http"\n  }\n}',
      checker,
    );
    expect(missing).toEqual([
      expect.objectContaining({
        field: 'adapter',
        message: 'url is required',
        start: { line: 2, character: 2 },
      }),
    ]);
    const broken = checkManifestText('{\n  "name": "x",\n  "adapter": }', checker);
    expect(broken).toEqual([
      expect.objectContaining({
        field: '',
        message: 'is not valid JSON (ValueExpected)',
        start: { line: 2, character: 13 },
      }),
    ]);
  });

  it('validates a tool directory as the server loads it: every *.json, names unique', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentd-vscode-dir-'));
    dirs.push(dir);
    const good = { name: 'weather', input_schema: { type: 'object' }, adapter: http };
    writeFileSync(join(dir, 'a-weather.json'), JSON.stringify(good, null, 2));
    writeFileSync(join(dir, 'b-weather-again.json'), JSON.stringify(good, null, 2));
    writeFileSync(join(dir, 'c-bad.json'), '{ "name": "bad", "adapter": { "type": "ftp" } }');
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    const report = await validateToolDir(dir, checker);
    expect(report.valid).toBe(1);
    expect(formatReport(report)).toEqual([
      `${join(dir, 'b-weather-again.json')}:1:1: name: 'weather' is already defined by a-weather.json`,
      expect.stringMatching(
        new RegExp(`^${join(dir, 'c-bad.json')}:1:\\d+: adapter\\.type: must be one of `),
      ),
    ]);
  });
});
