import { checkOutput } from '@agentd/core';
import type { ModelStreamPart } from '@agentd/spec';
import { zodTextFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScriptedModel } from '../src/index.js';
import { formatAnswer } from '../src/scripted/schema-instance.js';

const schemas: Record<string, Record<string, unknown>> = {
  'objects with required properties only': {
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer' }, nick: { type: 'string' } },
    required: ['name', 'age'],
    additionalProperties: false,
  },
  'enums, consts, bounds and formats': {
    type: 'object',
    properties: {
      kind: { type: 'string', enum: ['cat', 'dog'] },
      version: { const: 2 },
      score: { type: 'number', exclusiveMinimum: 1, maximum: 5 },
      count: { type: 'integer', minimum: 3 },
      below: { type: 'integer', maximum: -2 },
      code: { type: 'string', minLength: 4 },
      when: { type: 'string', format: 'date-time' },
      mail: { type: 'string', format: 'email' },
      ok: { type: 'boolean' },
      none: { type: 'null' },
    },
    required: ['kind', 'version', 'score', 'count', 'below', 'code', 'when', 'mail', 'ok', 'none'],
  },
  'arrays with minItems, nullable types, unions and references': {
    type: 'object',
    properties: {
      tags: { type: 'array', items: { $ref: '#/$defs/tag' }, minItems: 2 },
      maybe: { type: ['string', 'null'] },
      either: { anyOf: [{ type: 'integer', minimum: 7 }, { type: 'string' }] },
      pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], minItems: 2 },
    },
    required: ['tags', 'maybe', 'either', 'pair'],
    $defs: { tag: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] } },
  },
  'allOf of objects': {
    allOf: [
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
      { type: 'object', properties: { b: { type: 'number', minimum: 1 } }, required: ['b'] },
    ],
  },
  'a zodTextFormat schema': zodTextFormat(
    z.object({
      title: z.string(),
      steps: z.array(z.object({ n: z.number().int(), done: z.boolean() })),
      level: z.enum(['low', 'high']),
      note: z.string().nullable(),
    }),
    'plan',
  ).schema as Record<string, unknown>,
};

describe('formatAnswer (the scripted model under structured outputs)', () => {
  for (const [what, schema] of Object.entries(schemas)) {
    it(`builds a valid instance: ${what}`, () => {
      const format = { type: 'json_schema' as const, name: 'x', schema };
      const text = formatAnswer(format, 'ignored');
      expect(checkOutput(format, text)).toMatchObject({ ok: true });
    });
  }

  it('is minimal: only required properties, the first enum value, the lowest allowed number', () => {
    const format = {
      type: 'json_schema' as const,
      name: 'x',
      schema: schemas['objects with required properties only']!,
    };
    expect(JSON.parse(formatAnswer(format, ''))).toEqual({ name: '', age: 0 });
    const bounds = {
      type: 'json_schema' as const,
      name: 'x',
      schema: schemas['enums, consts, bounds and formats']!,
    };
    expect(JSON.parse(formatAnswer(bounds, ''))).toMatchObject({
      kind: 'cat',
      version: 2,
      count: 3,
      below: -2,
      code: 'xxxx',
    });
  });

  it('json_object wraps the plain answer; free text is left alone', () => {
    expect(JSON.parse(formatAnswer({ type: 'json_object' }, 'hi'))).toEqual({ answer: 'hi' });
    expect(formatAnswer(undefined, 'hi')).toBe('hi');
  });

  it('the scripted model answers a schema request with that instance', async () => {
    const model = createScriptedModel();
    const parts: ModelStreamPart[] = [];
    const format = {
      type: 'json_schema' as const,
      name: 'x',
      schema: schemas['objects with required properties only']!,
    };
    for await (const part of model.stream({
      model: 'scripted',
      messages: [{ role: 'user', content: 'who are you?' }],
      tools: [],
      settings: {},
      textFormat: format,
    })) {
      parts.push(part);
    }
    const text = parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');
    expect(JSON.parse(text)).toEqual({ name: '', age: 0 });
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });
});
