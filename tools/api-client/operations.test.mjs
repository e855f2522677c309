// Unit tests of the operation list the client is generated from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectOperations, methodName, resolveRef, responseTypeOf } from './operations.mjs';

const bearer = [{ bearer: [] }];

describe('methodName', () => {
  it("joins a Nest operationId's controller and handler", () => {
    assert.equal(methodName('AdminPointsController_balance', 'get', '/x'), 'adminPointsBalance');
    assert.equal(
      methodName('LevelsController_setMemberLevel', 'put', '/x'),
      'levelsSetMemberLevel',
    );
  });

  it('camel-cases another operationId', () => {
    assert.equal(methodName('get-member_by-id', 'get', '/x'), 'getMemberById');
  });

  it('falls back to method and path', () => {
    assert.equal(
      methodName(undefined, 'get', '/api/v1/members/{memberId}/level-progress'),
      'getApiV1MembersByMemberIdLevelProgress',
    );
  });
});

describe('responseTypeOf', () => {
  const json = (schema) => ({ content: { 'application/json': { schema } } });

  it('unions the JSON schemas of the 2xx answers and ignores errors', () => {
    const responses = {
      200: json({ $ref: '#/components/schemas/Member' }),
      201: json({ $ref: '#/components/schemas/Member' }),
      404: json({ type: 'object' }),
    };
    assert.equal(responseTypeOf({}, responses), 'Member');
  });

  it('is void when every success is a 204, unknown without a success schema', () => {
    assert.equal(responseTypeOf({}, { 204: {}, 404: {} }), 'void');
    assert.equal(responseTypeOf({}, { 200: { description: 'ok' } }), 'unknown');
    assert.equal(responseTypeOf({}, { 404: { description: 'not found' } }), 'unknown');
  });
});

describe('resolveRef', () => {
  it('follows local references, escaped segments included', () => {
    const document = { components: { parameters: { 'a/b': { name: 'limit', in: 'query' } } } };
    assert.deepEqual(resolveRef(document, { $ref: '#/components/parameters/a~1b' }), {
      name: 'limit',
      in: 'query',
    });
    assert.throws(
      () => resolveRef(document, { $ref: '#/components/parameters/none' }),
      /Unresolved/,
    );
  });
});

describe('collectOperations', () => {
  const document = {
    paths: {
      '/api/v1/members/{memberId}': {
        get: {
          operationId: 'MembersController_get',
          parameters: [
            { name: 'memberId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'reveal', in: 'query', schema: { type: 'boolean' } },
            { $ref: '#/components/parameters/Limit' },
          ],
          responses: { 200: { description: 'the member' } },
          security: bearer,
        },
      },
      '/api/v1/members': {
        post: {
          operationId: 'MembersController_register',
          summary: 'Register',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Register' } } },
          },
          responses: { 201: { description: 'registered' } },
          security: bearer,
        },
      },
      '/health/live': { get: { operationId: 'HealthController_live', responses: {} } },
    },
    components: {
      parameters: {
        Limit: { name: 'limit', in: 'query', required: true, schema: { type: 'integer' } },
      },
    },
  };

  it('lists every operation sorted by method name', () => {
    assert.deepEqual(
      collectOperations(document).map(({ name, method, path }) => `${name} ${method} ${path}`),
      [
        'healthLive GET /health/live',
        'membersGet GET /api/v1/members/{memberId}',
        'membersRegister POST /api/v1/members',
      ],
    );
  });

  it('describes parameters, body, security and whether the operation writes', () => {
    const [health, get, register] = collectOperations(document);
    assert.deepEqual(get.pathParams, [
      { name: 'memberId', required: true, type: 'string', description: undefined },
    ]);
    assert.deepEqual(
      get.queryParams.map(({ name, required, type }) => [name, required, type]),
      [
        ['reveal', false, 'boolean'],
        ['limit', true, 'number'],
      ],
    );
    assert.deepEqual(register.body, { required: true, type: 'Register' });
    assert.deepEqual(
      [health, get, register].map(({ secured, write }) => [secured, write]),
      [
        [false, false],
        [true, false],
        [true, true],
      ],
    );
  });

  it('refuses two operations that would share a method name', () => {
    const clash = {
      paths: {
        '/a': { get: { operationId: 'AController_list', responses: {} } },
        '/b': { get: { operationId: 'a-list', responses: {} } },
      },
    };
    assert.throws(
      () => collectOperations(clash),
      /Two operations would be the client method aList/,
    );
  });
});
