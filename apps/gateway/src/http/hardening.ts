import type { FastifyInstance } from 'fastify';

/** Headers every API answer carries: no sniffing, no framing, no caching, no referrer. */
const API_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

/**
 * Security headers on every answer. The OpenAPI UI at /docs needs its own scripts and styles,
 * so it keeps the framing and sniffing rules but not the strict content policy.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const docs = request.url.startsWith('/docs');
    for (const [name, value] of Object.entries(API_HEADERS)) {
      if (docs && (name === 'content-security-policy' || name === 'cache-control')) continue;
      void reply.header(name, value);
    }
    done(null, payload);
  });
}

/** `CORS_ORIGINS`: comma-separated exact origins; empty allows none (no CORS headers at all). */
export function corsOriginsOf(setting: string): string[] {
  return setting
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}
