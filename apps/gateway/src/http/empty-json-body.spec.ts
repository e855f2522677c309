import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { acceptEmptyJsonBodies } from './empty-json-body';

describe(acceptEmptyJsonBodies.name, () => {
  let sut: FastifyInstance;

  beforeEach(async () => {
    sut = Fastify();
    acceptEmptyJsonBodies(sut);
    sut.post('/echo', (request) => ({ body: request.body ?? 'none' }));
    await sut.ready();
  });
  afterEach(() => sut.close());

  const post = (payload: string, contentType = 'application/json') =>
    sut.inject({ method: 'POST', url: '/echo', payload, headers: { 'content-type': contentType } });

  it('answers an empty JSON body as a call without a body', async () => {
    const response = await post('');
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 200,
      body: { body: 'none' },
    });
  });

  it('does the same with a charset in the content type', async () => {
    const response = await post('', 'application/json; charset=utf-8');
    expect(response.json()).toEqual({ body: 'none' });
  });

  it('still parses a JSON body', async () => {
    const response = await post('{"nickname":"Ann"}');
    expect(response.json()).toEqual({ body: { nickname: 'Ann' } });
  });

  it('still refuses a body that is not JSON', async () => {
    expect((await post('{')).statusCode).toBe(400);
    expect((await post(' ')).statusCode).toBe(400);
  });
});
