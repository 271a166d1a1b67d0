import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { completeManifest } from '../src/manifest/complete-manifest.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const schema = JSON.parse(
  readFileSync(join(repo, 'packages/tools-gateway/schema/tool-manifest.schema.json'), 'utf8'),
);

/** Completions where `|` stands in the text (the bar is removed). */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return completeManifest(text, offset, schema);
}
const labels = (found: ReturnType<typeof at>) => found.map((item) => item.label).sort();

describe('manifest completion in a tool directory', () => {
  it('offers the top-level fields not yet written, inserted as a key', () => {
    const found = at('{\n  "name": "weather",\n  |\n}');
    const names = labels(found);
    expect(names).toContain('adapter');
    expect(names).toContain('input_schema');
    expect(names).not.toContain('name');
    expect(found.find((item) => item.label === 'adapter')?.insertText).toBe('"adapter": ');
    expect(found.find((item) => item.label === 'name')).toBeUndefined();
  });

  it("offers the adapter's fields for its type, and none of another type's", () => {
    const http = labels(at('{"name":"w","adapter":{"type":"http", |}}'));
    expect(http).toEqual(expect.arrayContaining(['url', 'method', 'headers', 'secret_headers']));
    expect(http).not.toContain('document');
    const openapi = labels(at('{"name":"w","adapter":{"type":"openapi", |}}'));
    expect(openapi).toEqual(expect.arrayContaining(['document', 'server_url', 'operations', 'auth']));
    expect(openapi).not.toContain('method');
  });

  it('follows nested branches (an MCP server over stdio) and arrays (capabilities)', () => {
    const stdio = labels(at('{"adapter":{"type":"mcp","transport":"stdio", |}}'));
    expect(stdio).toEqual(expect.arrayContaining(['command', 'args', 'env', 'allow']));
    expect(stdio).not.toContain('url');
    expect(labels(at('{"capabilities":[{"name":"a", |}]}'))).toEqual(['confidence']);
  });

  it('offers the allowed values of an enum field, and inside a started key only the bare name', () => {
    expect(labels(at('{"name":"w","adapter":{"type": |}}'))).toEqual(
      ['"builtin"', '"client"', '"http"', '"mcp"', '"openapi"'].sort(),
    );
    expect(labels(at('{"adapter":{"type":"http","method": |}}'))).toEqual(
      ['"DELETE"', '"GET"', '"PATCH"', '"POST"', '"PUT"'].sort(),
    );
    const typed = at('{"name":"w","ada|}');
    expect(typed.find((item) => item.label === 'adapter')?.insertText).toBe('adapter');
  });

  it('offers nothing inside free-form values', () => {
    expect(at('{"name":"w","description": "a |"}')).toEqual([]);
  });
});
