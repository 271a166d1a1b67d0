import { describe, expect, it } from 'vitest';
import { checkJsonSchema } from '../src/index.js';

describe('checkJsonSchema', () => {
  it('accepts a usable schema', () => {
    expect(
      checkJsonSchema({ type: 'object', properties: { x: { type: ['string', 'null'] } } }),
    ).toBeUndefined();
    expect(checkJsonSchema(true)).toBeUndefined();
  });

  it('names the place of a bad type and says what a type is', () => {
    expect(checkJsonSchema({ type: 'object', properties: { x: { type: 'text' } } })).toEqual({
      path: 'properties.x.type',
      segments: ['properties', 'x', 'type'],
      message:
        'must be a JSON Schema type: "string", "number", "integer", "boolean", "object", "array" or "null" (or a list of them)',
    });
  });

  it('does not take a property called "type" for the keyword', () => {
    expect(checkJsonSchema({ properties: { type: 5 } })).toMatchObject({
      path: 'properties.type',
      message: 'must be object,boolean',
    });
  });

  it('numbers array positions and reports schemas that do not compile', () => {
    expect(checkJsonSchema({ anyOf: [{ type: 'string' }, { minLength: -1 }] })).toMatchObject({
      path: 'anyOf[1].minLength',
      segments: ['anyOf', 1, 'minLength'],
    });
    expect(checkJsonSchema({ $ref: '#/definitions/missing' })).toMatchObject({
      path: '',
      message: expect.stringMatching(/^is not a usable JSON Schema \(can't resolve reference/),
    });
    expect(checkJsonSchema(5)).toMatchObject({ path: '', message: 'must be object,boolean' });
  });
});
