import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, UNEXPECTED_RESPONSE } from './api-error';
import { createApiClient, dataOf } from './client';
import type { ApiClient } from './client';

interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the local server answers, by method and URL (anything else: 500). */
const ANSWERS: Record<string, { status: number; type?: string; body?: string }> = {
  'POST /api/v1/members': { status: 201, type: 'application/json', body: '{"id":"42"}' },
  'GET /api/v1/admin/members/42?reveal=true': {
    status: 200,
    type: 'application/json; charset=utf-8',
    body: '{"id":"42","phone":"13812345678"}',
  },
  'GET /api/v1/points/me/balance': {
    status: 404,
    type: 'application/json; charset=utf-8',
    body: '{"code":"MEMBER_NOT_FOUND","message":"No such member","correlationId":"c-404"}',
  },
  'DELETE /api/v1/admin/benefits/7': { status: 204 },
  'GET /api/v1/levels': { status: 502, type: 'text/html', body: '<h1>Bad gateway</h1>' },
};

describe('createApiClient against a local HTTP server', () => {
  const received: ReceivedRequest[] = [];
  let server: Server;
  let client: ApiClient;
  let tokenRequests = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const [method, url] = [request.method ?? '', request.url ?? ''];
        received.push({
          method,
          url,
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        });
        const answer = ANSWERS[`${method} ${url}`] ?? { status: 500, body: 'unexpected request' };
        response.writeHead(answer.status, answer.type ? { 'content-type': answer.type } : {});
        response.end(answer.body);
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as AddressInfo;
    client = createApiClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      token: () => {
        tokenRequests += 1;
        return Promise.resolve(`member.jwt.${tokenRequests}`);
      },
    });
  });

  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
  });

  beforeEach(() => {
    received.length = 0;
    tokenRequests = 0;
  });

  it('sends a write with the bearer token, the JSON body and the Idempotency-Key', async () => {
    const member = await dataOf(
      client.POST('/api/v1/members', {
        body: { nickname: 'Ann' },
        params: { header: { 'Idempotency-Key': 'register-ann-1' } },
      }),
    );

    expect(member).toEqual({ id: '42' });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/members',
      body: '{"nickname":"Ann"}',
    });
    expect(received[0]?.headers).toMatchObject({
      authorization: 'Bearer member.jwt.1',
      'idempotency-key': 'register-ann-1',
      'content-type': 'application/json',
    });
  });

  it('fills the path and query parameters into the URL', async () => {
    const member = await dataOf(
      client.GET('/api/v1/admin/members/{memberId}', {
        params: { path: { memberId: '42' }, query: { reveal: true } },
      }),
    );

    expect(member).toEqual({ id: '42', phone: '13812345678' });
    expect(received[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('asks the token provider before every call', async () => {
    await dataOf(
      client.DELETE('/api/v1/admin/benefits/{benefitId}', { params: { path: { benefitId: '7' } } }),
    );
    await dataOf(
      client.DELETE('/api/v1/admin/benefits/{benefitId}', { params: { path: { benefitId: '7' } } }),
    );

    expect(tokenRequests).toBe(2);
    expect(received.map((request) => request.headers.authorization)).toEqual([
      'Bearer member.jwt.1',
      'Bearer member.jwt.2',
    ]);
  });

  it('throws an ApiError with the status and the API error body', async () => {
    const failure: unknown = await client
      .GET('/api/v1/points/me/balance')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 404,
      code: 'MEMBER_NOT_FOUND',
      message: '404 MEMBER_NOT_FOUND: No such member',
      correlationId: 'c-404',
      body: { code: 'MEMBER_NOT_FOUND', message: 'No such member', correlationId: 'c-404' },
    });
  });

  it('throws an ApiError for an answer without the API error body', async () => {
    const failure: unknown = await client.GET('/api/v1/levels').catch((error: unknown) => error);

    expect(failure).toMatchObject({ status: 502, code: UNEXPECTED_RESPONSE });
  });

  it('resolves a 204 answer to undefined', async () => {
    await expect(
      dataOf(
        client.DELETE('/api/v1/admin/benefits/{benefitId}', {
          params: { path: { benefitId: '7' } },
        }),
      ),
    ).resolves.toBeUndefined();
    expect(received[0]?.method).toBe('DELETE');
  });

  it('calls without a token when the provider gives none', async () => {
    const anonymous = createApiClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
    await dataOf(
      anonymous.DELETE('/api/v1/admin/benefits/{benefitId}', {
        params: { path: { benefitId: '7' } },
      }),
    );

    expect(received[0]?.headers.authorization).toBeUndefined();
  });
});
