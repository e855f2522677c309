import type { FastifyInstance } from 'fastify';

/**
 * While the gateway shuts down, every answer closes its connection. Fastify closes the
 * connections that are idle when it starts closing and says `Connection: close` to requests that
 * arrive after; a request already in flight would leave its kept-alive connection open once
 * answered, and the server would wait for it until the keep-alive timeout (72 s), past the pod's
 * grace period, to be killed instead of exiting.
 */
export function closeConnectionsOnShutdown(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}
