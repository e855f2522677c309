// The checked-in OpenAPI document and client types are what `npm run api-client` writes from the
// gateway now, producing them needs no fleet (no connection is even attempted), and the document
// says what generated SDKs need of every operation.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderArtifacts, staleArtifacts } from './artifacts.mjs';
import { buildDist, loadOpenApiDocument } from './openapi-document.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const WRITES = new Set(['put', 'post', 'delete', 'patch']);
/** The one write route that changes nothing (a price quote), so no key applies. */
const READS_BY_POST = new Set(['post /api/v1/benefits/quote']);

const operationsOf = (document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      method,
      path,
      operation: item[method],
    })),
  );

describe('npm run api-client', () => {
  const connections = [];
  let document;

  before(async () => {
    buildDist(root);
    const connect = Socket.prototype.connect;
    Socket.prototype.connect = function recordConnect(...args) {
      connections.push(args[0]);
      return connect.apply(this, args);
    };
    try {
      document = await loadOpenApiDocument(root);
    } finally {
      Socket.prototype.connect = connect;
    }
  });

  it('builds the OpenAPI document without connecting anywhere', () => {
    assert.deepEqual(connections, []);
    assert.equal(document.info.title, 'Member System API');
    assert.ok(document.paths['/api/v1/members'].post, 'POST /api/v1/members is documented');
  });

  it('has written docs/api/openapi.json and libs/api-client/src/schema.ts from it', async () => {
    const stale = await staleArtifacts(root, await renderArtifacts(root, document));
    assert.deepEqual(stale, [], `${stale.join(' and ')} out of date: run npm run api-client`);
  });

  it('documents only the API: every path is under /api/v1', () => {
    const others = Object.keys(document.paths).filter((path) => !path.startsWith('/api/v1/'));
    assert.deepEqual(others, []);
  });

  it('gives every operation a unique <area>.<verb> id, a summary, a description and a tag', () => {
    const ids = new Set();
    for (const { method, path, operation } of operationsOf(document)) {
      const name = `${method} ${path}`;
      assert.match(operation.operationId, /^[a-z]+(\.[a-z][A-Za-z]*)+$/, name);
      assert.ok(!ids.has(operation.operationId), `${name}: ${operation.operationId} twice`);
      ids.add(operation.operationId);
      assert.ok(operation.summary, `${name} has a summary`);
      assert.ok(operation.description, `${name} has a description`);
      assert.ok(operation.tags?.length, `${name} has a tag`);
    }
    assert.equal(document.paths['/api/v1/points/me/use'].post.operationId, 'points.spend');
  });

  it('documents every validated field of the body and query classes', () => {
    const require = createRequire(import.meta.url);
    const contracts = require(join(root, 'dist/libs/contracts/src/index.js'));
    const storage = require('class-validator').getMetadataStorage();
    const undocumented = Object.entries(document.components.schemas).flatMap(([name, schema]) => {
      if (typeof contracts[name] !== 'function') return [];
      const validated = storage
        .getTargetValidationMetadatas(contracts[name], '', true, false)
        .map((metadata) => metadata.propertyName);
      return [...new Set(validated)]
        .filter((field) => !(field in (schema.properties ?? {})))
        .map((field) => `${name}.${field}`);
    });
    assert.deepEqual(undocumented, []);
  });

  it('uses every entry of the operations table (none left from a removed route)', () => {
    const { OPERATIONS } = createRequire(import.meta.url)(
      join(root, 'dist/apps/gateway/src/http/operations.js'),
    );
    const documented = operationsOf(document).map(({ operation }) => operation.operationId);
    assert.deepEqual(
      Object.values(OPERATIONS)
        .map((entry) => entry.id)
        .sort(),
      documented.sort(),
    );
  });

  it('declares the Idempotency-Key header, 1-128 characters, on every write', () => {
    for (const { method, path, operation } of operationsOf(document)) {
      const name = `${method} ${path}`;
      const key = operation.parameters?.find((parameter) => parameter.name === 'Idempotency-Key');
      if (!WRITES.has(method) || READS_BY_POST.has(name)) {
        assert.equal(key, undefined, `${name} does not honour Idempotency-Key`);
        continue;
      }
      assert.ok(key, `${name} declares Idempotency-Key`);
      assert.equal(key.in, 'header');
      assert.equal(key.required, false);
      assert.equal(key.schema.minLength, 1);
      assert.equal(key.schema.maxLength, 128);
    }
  });

  it("documents the register body's fields, so SDKs can send a nickname", () => {
    const register = document.components.schemas.RegisterMemberDto;
    assert.deepEqual(Object.keys(register.properties).sort(), [
      'birthday',
      'email',
      'gender',
      'nickname',
      'phone',
    ]);
    assert.equal(register.properties.birthday.format, 'date');
    assert.deepEqual(register.required ?? [], []);
  });

  it('gives every answer but a 204 a schema, and every body schema its properties', () => {
    for (const { method, path, operation } of operationsOf(document)) {
      for (const [status, answer] of Object.entries(operation.responses)) {
        if (status === '204') continue;
        // JSON, or CSV for the ledger export (text only, so its schema is a string).
        assert.ok(
          answer.content?.['application/json']?.schema ?? answer.content?.['text/csv']?.schema,
          `${method} ${path} ${status} has a schema`,
        );
      }
      const body = operation.requestBody?.content?.['application/json'];
      if (body) assert.ok(body.example, `${method} ${path} has a request example`);
    }
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      if (schema.type === 'object' && !schema.additionalProperties) {
        assert.ok(Object.keys(schema.properties ?? {}).length > 0, `${name} lists its fields`);
      }
    }
  });
});
