import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorKey, requestText, takeResponse } from './raw-http.mjs';

describe('requestText', () => {
  it('writes a GET with its headers', () => {
    assert.equal(
      requestText({ path: '/a', host: 'h:1', headers: { authorization: 'Bearer t' } }),
      'GET /a HTTP/1.1\r\nhost: h:1\r\nauthorization: Bearer t\r\n\r\n',
    );
  });

  it('sends a body as JSON with its byte length', () => {
    const text = requestText({ method: 'POST', path: '/b', host: 'h', body: { n: 'é' } });
    assert.match(text, /content-type: application\/json\r\n/);
    assert.match(text, /content-length: 10\r\n\r\n\{"n":"é"\}$/);
  });
});

describe('takeResponse', () => {
  const answer =
    'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 7\r\n\r\n{"a":1}';

  it('takes one response by content-length and leaves the rest', () => {
    const taken = takeResponse(Buffer.from(`${answer}HTTP/1.1`));
    assert.equal(taken.status, 200);
    assert.equal(taken.body.toString(), '{"a":1}');
    assert.equal(taken.rest.toString(), 'HTTP/1.1');
  });

  it('waits for the rest of an incomplete response', () => {
    assert.equal(takeResponse(Buffer.from(answer.slice(0, 30))), undefined);
    assert.equal(takeResponse(Buffer.from(answer.slice(0, -2))), undefined);
  });

  it('joins a chunked body', () => {
    const chunked =
      'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n';
    const taken = takeResponse(Buffer.from(chunked));
    assert.equal(taken.status, 201);
    assert.equal(taken.body.toString(), 'abcde');
    assert.equal(taken.rest.length, 0);
    assert.equal(takeResponse(Buffer.from(chunked.slice(0, -2))), undefined);
  });

  it('has an empty body without a length', () => {
    const taken = takeResponse(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'));
    assert.equal(taken.status, 204);
    assert.equal(taken.body.length, 0);
  });
});

describe('errorKey', () => {
  it('names the status and the error code of the body', () => {
    const body = Buffer.from('{"code":"POINTS_INSUFFICIENT","message":"no"}');
    assert.equal(errorKey({ status: 422, body }), '422 POINTS_INSUFFICIENT');
    assert.equal(errorKey({ status: 502, body: Buffer.from('<html>') }), '502');
    assert.equal(errorKey({ status: 0, error: 'ECONNRESET' }), '0 ECONNRESET');
  });
});
