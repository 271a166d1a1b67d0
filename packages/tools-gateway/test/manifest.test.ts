import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadToolDir, TOOL_MANIFEST_SCHEMA, validateManifest, watchToolDir } from '../src/index.js';

const weather = {
  name: 'weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  capabilities: [{ name: 'weather.current', confidence: 0.9 }],
  adapter: { type: 'http', url: 'https://weather.example/now' },
  timeout_ms: 5000,
};

const problemsOf = (value: unknown) => {
  const check = validateManifest(value);
  return check.ok ? [] : check.problems.map((p) => `${p.field}: ${p.message}`);
};

describe('manifest validation', () => {
  it('accepts a well-formed manifest of each adapter type', () => {
    expect(validateManifest(weather).ok).toBe(true);
    expect(
      validateManifest({ name: 'api', adapter: { type: 'openapi', document: './petstore.yaml' } }).ok,
    ).toBe(true);
    expect(
      validateManifest({
        name: 'fs',
        adapter: { type: 'mcp', transport: 'stdio', command: 'node', args: ['s.js'] },
      }).ok,
    ).toBe(true);
    expect(
      validateManifest({
        name: 'remote',
        adapter: { type: 'mcp', transport: 'http', url: 'http://127.0.0.1:9/mcp' },
      }).ok,
    ).toBe(true);
    expect(
      validateManifest({ name: 'pick', input_schema: { type: 'object' }, adapter: { type: 'client' } }).ok,
    ).toBe(true);
    expect(validateManifest({ name: 'py', adapter: { type: 'builtin', tool: 'code_interpreter' } }).ok).toBe(
      true,
    );
  });

  it('names the field and the problem for every kind of mistake', () => {
    expect(problemsOf({ ...weather, name: 'has space' })).toEqual([
      'name: must match pattern "^[A-Za-z0-9_-]{1,64}$"',
    ]);
    expect(problemsOf({ ...weather, name: undefined })).toEqual(['name: is required']);
    expect(problemsOf({ ...weather, colour: 'red' })).toEqual(['colour: is not a known field']);
    expect(problemsOf({ ...weather, adapter: { type: 'smtp' } })).toEqual([
      'adapter.type: must be one of "http", "openapi", "mcp", "client", "builtin"',
    ]);
    expect(problemsOf({ ...weather, adapter: { type: 'http' } })).toEqual(['adapter.url: is required']);
    expect(problemsOf({ ...weather, adapter: { type: 'http', url: 'ftp://x' } })).toEqual([
      'adapter.url: must match pattern "^https?://"',
    ]);
    expect(problemsOf({ ...weather, adapter: { type: 'http', url: 'https://x', verb: 'POST' } })).toEqual([
      'adapter.verb: is not a known field',
    ]);
    expect(problemsOf({ name: 'm', adapter: { type: 'mcp', transport: 'stdio' } })).toEqual([
      'adapter.command: is required',
    ]);
    expect(problemsOf({ name: 'm', adapter: { type: 'mcp', transport: 'http' } })).toEqual([
      'adapter.url: is required',
    ]);
    expect(problemsOf({ ...weather, capabilities: [{ name: 'x', confidence: 2 }] })).toEqual([
      'capabilities[0].confidence: must be <= 1',
    ]);
    expect(
      problemsOf({
        ...weather,
        capabilities: [
          { name: 'a', confidence: 0.5 },
          { name: 'a', confidence: 0.4 },
        ],
      }),
    ).toEqual(["capabilities[1].name: repeats 'a'"]);
    expect(problemsOf({ ...weather, input_schema: undefined })).toEqual([
      'input_schema: is required for http tools',
    ]);
    expect(problemsOf({ ...weather, input_schema: { type: 'nonsense' } })[0]).toMatch(
      /^input_schema: is not a valid JSON Schema/,
    );
    expect(problemsOf({ ...weather, retries: 2 })).toEqual([
      'retries: only tools marked idempotent may be retried; set idempotent: true',
    ]);
    expect(problemsOf({ ...weather, timeout_ms: 0 })).toEqual(['timeout_ms: must be >= 1']);
    expect(problemsOf('not an object')).toEqual([': must be object']);
  });

  it('publishes its JSON Schema', () => {
    expect(TOOL_MANIFEST_SCHEMA).toMatchObject({
      title: 'agentd tool manifest',
      required: ['name', 'adapter'],
    });
  });
});

describe('tool directories', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentd-tools-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the good manifests and rejects each bad one naming the file, the field and the problem', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'a-weather.json'), JSON.stringify(weather));
    writeFileSync(join(dir, 'b-broken.json'), '{ "name": ');
    writeFileSync(
      join(dir, 'c-no-url.json'),
      JSON.stringify({ ...weather, name: 'other', adapter: { type: 'http' } }),
    );
    writeFileSync(join(dir, 'd-duplicate.json'), JSON.stringify(weather));
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const { loaded, rejected } = await loadToolDir(dir);
    expect(loaded.map((entry) => entry.manifest.name)).toEqual(['weather']);
    expect(rejected.map((entry) => entry.error)).toEqual([
      expect.stringMatching(/b-broken\.json: is not valid JSON/),
      `${join(dir, 'c-no-url.json')}: adapter.url: is required`,
      `${join(dir, 'd-duplicate.json')}: name: 'weather' is already defined by ${join(dir, 'a-weather.json')}`,
    ]);
  });

  it('hot-reloads on add, change and delete', async () => {
    const dir = newDir();
    const seen: string[][] = [];
    let wake: (() => void) | undefined;
    const stop = watchToolDir(
      dir,
      (contents) => {
        seen.push(contents.loaded.map((entry) => `${entry.manifest.name}:${entry.manifest.description}`));
        wake?.();
      },
      { debounceMs: 20 },
    );
    const next = () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no reload within 5 s')), 5000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      let changed = next();
      writeFileSync(join(dir, 'weather.json'), JSON.stringify(weather));
      await changed;
      expect(seen.at(-1)).toEqual(['weather:Current weather for a city']);
      changed = next();
      writeFileSync(join(dir, 'weather.json'), JSON.stringify({ ...weather, description: 'Now in Kelvin' }));
      await changed;
      expect(seen.at(-1)).toEqual(['weather:Now in Kelvin']);
      changed = next();
      unlinkSync(join(dir, 'weather.json'));
      await changed;
      expect(seen.at(-1)).toEqual([]);
    } finally {
      await stop();
    }
  });
});
