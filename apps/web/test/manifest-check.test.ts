import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkManifest, fieldOf } from '../src/console/manifest-check.js';

const schema = JSON.parse(
  readFileSync(
    new URL('../../../packages/tools-gateway/schema/tool-manifest.schema.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>;

// What the console's Validate button says about a manifest, checked against the schema the server serves.
describe('checkManifest', () => {
  it('accepts a valid manifest', () => {
    const text = JSON.stringify({
      name: 'weather',
      input_schema: { type: 'object' },
      adapter: { type: 'http', url: 'https://tools.example/weather' },
    });
    expect(checkManifest(text, schema)).toMatchObject({ ok: true, manifest: { name: 'weather' } });
  });

  it('names the missing field of an http adapter, not the wrappers around it', () => {
    const check = checkManifest('{"name": "w", "adapter": {"type": "http"}}', schema);
    expect(check).toEqual({ ok: false, problems: [{ where: 'adapter', message: 'needs the field "url"' }] });
  });

  it('says which rule a value breaks, and a field not allowed', () => {
    const text = '{"name": "bad name", "adapter": {"type": "http", "url": "ftp://x", "extra": 1}}';
    const check = checkManifest(text, schema);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems).toContainEqual({ where: 'name', message: 'must match ^[A-Za-z0-9_-]{1,64}$' });
    expect(check.problems).toContainEqual({ where: 'adapter.url', message: 'must match ^https?://' });
    expect(check.problems).toContainEqual({
      where: 'adapter',
      message: 'has a field that is not allowed here: "extra"',
    });
  });

  it('lists the adapter types an unknown one may be', () => {
    const check = checkManifest('{"name": "w", "adapter": {"type": "smtp"}}', schema);
    expect(check).toMatchObject({
      ok: false,
      problems: [{ where: 'adapter.type', message: expect.stringContaining('"http", "openapi", "mcp"') }],
    });
  });

  it('puts a JSON syntax error at its line and column', () => {
    const check = checkManifest('{\n  "name": "w",\n  "adapter": {]\n}', schema);
    expect(check).toMatchObject({ ok: false, problems: [{ where: 'line 3, column 15' }] });
    if (!check.ok) expect(check.problems[0]?.message).toMatch(/^is not valid JSON: /);
    expect(checkManifest('  ', schema)).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringContaining('empty') }],
    });
  });

  it('writes field paths as a person reads them', () => {
    expect(fieldOf('#')).toBe('(manifest)');
    expect(fieldOf('#/capabilities/0/name')).toBe('capabilities[0].name');
    expect(fieldOf('#/adapter/headers/x~1y')).toBe('adapter.headers.x/y');
  });
});
