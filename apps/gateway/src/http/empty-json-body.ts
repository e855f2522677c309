import type { FastifyInstance } from 'fastify';

/**
 * A POST with `Content-Type: application/json` and an empty body is a call without a body (many
 * HTTP clients send the header on every request), not malformed JSON: routes that take no body,
 * or only optional fields, then answer as if no body had been sent. A body that is there is still
 * parsed, and refused with 400 when it is not JSON.
 */
export function acceptEmptyJsonBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const { headers } = request;
    const lengthZero = (headers['content-length'] ?? '0') === '0';
    if (
      lengthZero &&
      headers['transfer-encoding'] === undefined &&
      /^application\/json\b/i.test(headers['content-type'] ?? '')
    ) {
      // Without a content type and with no length, Fastify reads no body and parses nothing.
      delete headers['content-type'];
    }
    done();
  });
}
