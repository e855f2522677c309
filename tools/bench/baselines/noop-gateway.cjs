// Baseline, HTTP side: NestJS on Fastify like the gateway, `GET /noop` sends the pattern
// `bench.noop` with the gateway's RpcClient (libs/shared/messaging) and answers `{ ok: true }`.
// No auth, rate limit or validation: what is left is HTTP, Nest and the RPC round trip over
// RabbitMQ. `GET /ready` answers 200 once an RPC has come back.
// Runs from the bench's build of the libs (BENCH_DIST); decorators are applied by hand (plain JS).
require('reflect-metadata');
const { join } = require('node:path');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

const dist = process.env.BENCH_DIST;
const { RpcClient } = require(join(dist, 'libs/shared/messaging/src/index.js'));
const { PinoNestLogger, createLogger, newCorrelationId } = require(
  join(dist, 'libs/shared/observability/src/index.js'),
);

const rpc = new RpcClient(process.env.RABBITMQ_URL, Number(process.env.RPC_TIMEOUT_MS || 5000));
const ACTOR = Object.freeze({ userId: '1', roles: ['member'], perms: [] });
const noop = () =>
  rpc.send('member', 'bench.noop', { data: {}, actor: ACTOR, correlationId: newCorrelationId() });

class NoopGatewayController {
  async noop() {
    await noop();
    return { ok: true };
  }

  async ready() {
    await noop();
    return { ready: true };
  }
}
const method = (name) => Object.getOwnPropertyDescriptor(NoopGatewayController.prototype, name);
Reflect.decorate([Get('noop')], NoopGatewayController.prototype, 'noop', method('noop'));
Reflect.decorate([Get('ready')], NoopGatewayController.prototype, 'ready', method('ready'));
Reflect.decorate([Controller()], NoopGatewayController);

class NoopGatewayModule {}
Reflect.decorate([Module({ controllers: [NoopGatewayController] })], NoopGatewayModule);

async function main() {
  const logger = createLogger('bench-noop-gateway', process.env.LOG_LEVEL || 'warn');
  const app = await NestFactory.create(NoopGatewayModule, new FastifyAdapter(), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await rpc.connect(['member']);
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
