// The gateway's OpenAPI document, built from its compiled controllers without a running fleet:
// Nest's preview mode registers the modules but instantiates no provider, so nothing connects to
// MySQL, Redis or RabbitMQ, and /docs-json is answered by Fastify's inject (no port is opened).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Compiles apps and libs to dist/ (tools/build.mjs, well under a second). */
export function buildDist(root) {
  const result = spawnSync(process.execPath, [join(root, 'tools/build.mjs')], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`tools/build.mjs failed:\n${result.stderr || result.stdout}`);
  }
}

/** The document /docs-json serves, from the gateway compiled in dist/ (run buildDist first). */
export async function loadOpenApiDocument(root) {
  const require = createRequire(join(root, 'package.json'));
  require('reflect-metadata');
  const { NestFactory } = require('@nestjs/core');
  const { FastifyAdapter } = require('@nestjs/platform-fastify');
  const fromDist = (file) => require(join(root, 'dist', file));
  const { GatewayModule } = fromDist('apps/gateway/src/gateway.module.js');
  const { GatewayConfig } = fromDist('apps/gateway/src/config/gateway.config.js');
  // The same prefix and exclusions main.ts mounts the routes with.
  const { API_PREFIX, UNPREFIXED_ROUTES, setupOpenApi } = fromDist(
    'apps/gateway/src/http/openapi.js',
  );
  const { createLogger } = fromDist('libs/shared/observability/src/index.js');

  // The config's defaults, not the environment: the document does not depend on settings.
  const gatewayModule = GatewayModule.register(
    new GatewayConfig(),
    createLogger('gateway', 'silent'),
  );
  const app = await NestFactory.create(gatewayModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false, // throw, rather than exit the process silently
  });
  const fastify = app.getHttpAdapter().getInstance();
  try {
    app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
    setupOpenApi(app);
    const response = await fastify.inject({ method: 'GET', url: '/docs-json' });
    if (response.statusCode !== 200) {
      throw new Error(`/docs-json answered ${response.statusCode}: ${response.body.slice(0, 200)}`);
    }
    return JSON.parse(response.body);
  } finally {
    await fastify.close();
  }
}
