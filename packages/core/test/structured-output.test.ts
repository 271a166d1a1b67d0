import { describe, expect, it } from 'vitest';
import { checkOutput, formatProblem, schemaProblems } from '../src/index.js';

const person = {
  type: 'json_schema' as const,
  name: 'person',
  strict: true,
  schema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      name: { type: 'string' },
      age: { type: 'integer', minimum: 0 },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
    },
    required: ['name', 'age', 'tags'],
    additionalProperties: false,
  },
};

describe('checkOutput', () => {
  it('accepts an answer that matches the schema and returns the parsed value', () => {
    expect(checkOutput(person, '{"name":"Ada","age":36,"tags":["a"]}')).toEqual({
      ok: true,
      value: { name: 'Ada', age: 36, tags: ['a'] },
    });
  });

  it('names every failing path as a JSON Pointer, missing and extra properties at the property', () => {
    const check = checkOutput(person, '{"age":-1,"tags":["a","z"],"extra":true}');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map(formatProblem)).toEqual(
      expect.arrayContaining([
        '/name: is required',
        '/extra: is not allowed by the schema',
        '/age: must be >= 0',
        '/tags/1: must be equal to one of the allowed values',
      ]),
    );
  });

  it('refuses text that is not JSON at the root', () => {
    const check = checkOutput(person, 'Sure! {"name": "Ada"}');
    expect(check).toMatchObject({
      ok: false,
      problems: [{ path: '', message: expect.stringMatching(/^is not valid JSON/) }],
    });
    if (!check.ok) expect(formatProblem(check.problems[0]!)).toMatch(/^\(root\): is not valid JSON/);
  });

  it('json_object takes any JSON object and nothing else', () => {
    expect(checkOutput({ type: 'json_object' }, '{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(checkOutput({ type: 'json_object' }, '[1]')).toMatchObject({
      ok: false,
      problems: [{ path: '', message: 'must be a JSON object' }],
    });
    expect(checkOutput({ type: 'json_object' }, 'hello').ok).toBe(false);
  });

  it('escapes a property name with a slash in its pointer', () => {
    const format = { ...person, schema: { type: 'object', required: ['a/b'] } };
    const check = checkOutput(format, '{}');
    expect(check).toMatchObject({ ok: false, problems: [{ path: '/a~1b', message: 'is required' }] });
  });
});

describe('schemaProblems', () => {
  it('accepts a usable schema, with or without a $schema dialect', () => {
    expect(schemaProblems(person.schema)).toEqual([]);
    expect(
      schemaProblems({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'string' }),
    ).toEqual([]);
  });

  it('locates a bad keyword inside the schema', () => {
    expect(schemaProblems({ type: 'object', properties: { age: { type: 'integr' } } })).toEqual(
      expect.arrayContaining([{ path: '/properties/age/type', message: expect.any(String) }]),
    );
    expect(schemaProblems({ type: 'object', required: 'name' })).toEqual([
      { path: '/required', message: 'must be array' },
    ]);
  });

  it('reports a reference that cannot be resolved', () => {
    expect(schemaProblems({ $ref: '#/$defs/missing' })).toEqual([
      { path: '', message: expect.stringMatching(/^cannot be compiled: .*missing/) },
    ]);
  });
});
