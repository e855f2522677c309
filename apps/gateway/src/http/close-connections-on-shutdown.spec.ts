import { request } from 'node:http';
import type { Agent } from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { closeConnectionsOnShutdown } from './close-connections-on-shutdown';

/** A GET on a kept-alive connection; resolves with the status and the Connection header. */
function get(port: number, agent: Agent): Promise<{ status: number; connection: string }> {
  return new Promise((resolve, reject) => {
    const call = request({ port, host: '127.0.0.1', path: '/slow', agent }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          connection: String(response.headers.connection),
        }),
      );
    });
    call.on('error', reject);
    call.end();
  });
}

describe(closeConnectionsOnShutdown.name, () => {
  let sut: FastifyInstance;
  let release: () => void;
  let arrived: Promise<void>;
  let agent: Agent;
  let closing: Promise<void>;

  beforeEach(async () => {
    let arrive: () => void;
    arrived = new Promise((resolve) => (arrive = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    // Keep-alive for far longer than the test: only the hook can let the server close.
    sut = Fastify({ keepAliveTimeout: 600_000 });
    closeConnectionsOnShutdown(sut);
    let closeBegun: () => void;
    closing = new Promise((resolve) => (closeBegun = resolve));
    sut.addHook('preClose', (done) => {
      closeBegun();
      done();
    });
    sut.get('/slow', async () => {
      arrive();
      await held;
      return { ok: true };
    });
    await sut.listen({ port: 0, host: '127.0.0.1' });
    agent = new HttpAgent({ keepAlive: true });
  });

  afterEach(() => agent.destroy());

  it('answers the request in flight with Connection: close, so the server closes at once', async () => {
    const { port } = sut.server.address() as { port: number };
    const inFlight = get(port, agent);
    await arrived;

    const closed = sut.close();
    await closing;
    release();

    await expect(inFlight).resolves.toEqual({ status: 200, connection: 'close' });
    await expect(closed).resolves.toBeUndefined();
  });

  it('leaves answers kept alive while the server runs', async () => {
    const { port } = sut.server.address() as { port: number };
    const answer = get(port, agent);
    await arrived;
    release();

    await expect(answer).resolves.toEqual({ status: 200, connection: 'keep-alive' });
    await sut.close();
  });
});
