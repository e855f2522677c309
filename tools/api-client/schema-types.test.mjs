// Unit tests of the OpenAPI schema → TypeScript type mapping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  docComment,
  isObjectLiteralSchema,
  propertyKey,
  refTypeName,
  tsType,
  typeName,
  union,
} from './schema-types.mjs';

describe('tsType', () => {
  it('maps the primitive keywords, integer included, and a missing schema to unknown', () => {
    assert.equal(tsType({ type: 'string' }), 'string');
    assert.equal(tsType({ type: 'integer' }), 'number');
    assert.equal(tsType({ type: 'number' }), 'number');
    assert.equal(tsType({ type: 'boolean' }), 'boolean');
    assert.equal(tsType(undefined), 'unknown');
    assert.equal(tsType({ example: '2026-01-01' }), 'unknown');
  });

  it('names a referenced schema and rejects references outside components/schemas', () => {
    assert.equal(tsType({ $ref: '#/components/schemas/EarnBatchItemDto' }), 'EarnBatchItemDto');
    assert.throws(() => refTypeName('#/components/responses/Error'), /Unsupported \$ref/);
  });

  it('turns enums and const into literal unions', () => {
    assert.equal(tsType({ type: 'string', enum: ['day', 'month'] }), '"day" | "month"');
    assert.equal(tsType({ const: 3 }), '3');
  });

  it('adds null for nullable, except to unknown', () => {
    assert.equal(tsType({ type: 'string', nullable: true }), 'string | null');
    assert.equal(tsType({ nullable: true }), 'unknown');
    assert.equal(tsType({ type: ['string', 'null'] }), 'string | null');
  });

  it('parenthesizes a union before []', () => {
    assert.equal(tsType({ type: 'array', items: { type: 'number' } }), 'number[]');
    assert.equal(
      tsType({ type: 'array', items: { type: 'string', nullable: true } }),
      '(string | null)[]',
    );
  });

  it('intersects allOf, unions oneOf and anyOf', () => {
    assert.equal(tsType({ allOf: [{ $ref: '#/components/schemas/A' }] }), 'A');
    assert.equal(
      tsType({ allOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }] }),
      'A & B',
    );
    assert.equal(tsType({ oneOf: [{ type: 'string' }, { type: 'number' }] }), 'string | number');
    assert.equal(tsType({ anyOf: [{ type: 'string' }, {}] }), 'unknown');
  });

  it('writes objects with properties as literals, required ones without ?', () => {
    const type = tsType({
      type: 'object',
      properties: { id: { type: 'number' }, 'x-tag': { type: 'string', description: 'A tag' } },
      required: ['id'],
    });
    assert.equal(type, '{\nid: number;\n/**\n * A tag\n */\n"x-tag"?: string;\n}');
  });

  it('writes objects without properties as records', () => {
    assert.equal(tsType({ type: 'object' }), 'Record<string, unknown>');
    assert.equal(tsType({ type: 'object', properties: {} }), 'Record<string, unknown>');
    assert.equal(
      tsType({ type: 'object', additionalProperties: { type: 'number' } }),
      'Record<string, number>',
    );
    assert.equal(tsType({ type: 'object', additionalProperties: false }), 'Record<string, never>');
  });
});

describe('union', () => {
  it('drops repeats, collapses a single member and absorbs everything into unknown', () => {
    assert.equal(union(['string', 'string']), 'string');
    assert.equal(union(['string', 'null']), 'string | null');
    assert.equal(union(['string', 'unknown']), 'unknown');
  });
});

describe('names', () => {
  it('makes schema names identifiers and quotes property keys only when needed', () => {
    assert.equal(typeName('Page.Member-View'), 'Page_Member_View');
    assert.equal(typeName('2fa'), '_2fa');
    assert.equal(propertyKey('memberId'), 'memberId');
    assert.equal(propertyKey('content-type'), '"content-type"');
  });
});

describe('docComment', () => {
  it('documents description, default and example, and cannot be closed early', () => {
    assert.equal(
      docComment({ description: 'Fee */ here', default: '0.00', example: '12.00' }),
      '/**\n * Fee *\\/ here\n * @default "0.00"\n * @example "12.00"\n */\n',
    );
  });

  it('is empty for a schema without documentation', () => {
    assert.equal(docComment({ type: 'string' }), '');
  });
});

describe('isObjectLiteralSchema', () => {
  it('holds for an object with properties, not for a nullable or empty one', () => {
    const properties = { id: { type: 'number' } };
    assert.equal(isObjectLiteralSchema({ type: 'object', properties }), true);
    assert.equal(isObjectLiteralSchema({ type: 'object', properties, nullable: true }), false);
    assert.equal(isObjectLiteralSchema({ type: 'object', properties: {} }), false);
  });
});
