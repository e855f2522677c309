// The checked-in OpenAPI document and client are what `npm run api-client` writes from the gateway
// now, and producing them needs no fleet: no connection is even attempted.
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderArtifacts, staleArtifacts } from './artifacts.mjs';
import { buildDist, loadOpenApiDocument } from './openapi-document.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

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

  it('has written docs/api/openapi.json and libs/api-client/src/generated.ts from it', async () => {
    const stale = await staleArtifacts(root, await renderArtifacts(root, document));
    assert.deepEqual(stale, [], `${stale.join(' and ')} out of date: run npm run api-client`);
  });
});
