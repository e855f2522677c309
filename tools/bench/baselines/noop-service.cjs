// Baseline, RPC side: a NestJS service answering the pattern `bench.noop` with null, started the way
// libs/shared/service runService() starts a service (hybrid app on Fastify, the RPC server and
// RpcErrorsThrough filter of libs/shared/messaging), without any database, cache or feature.
// Runs from the bench's build of the libs (BENCH_DIST); decorators are applied by hand (plain JS).
require('reflect-metadata');
const { join } = require('node:path');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { MessagePattern } = require('@nestjs/microservices');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

const dist = process.env.BENCH_DIST;
const { RpcErrorsThrough, rpcServerOptions } = require(
  join(dist, 'libs/shared/messaging/src/index.js'),
);
const { AppMetrics, PinoNestLogger, createLogger } = require(
  join(dist, 'libs/shared/observability/src/index.js'),
);
const { RPC_QUEUES } = require(join(dist, 'libs/contracts/src/index.js'));

class NoopRpcController {
  noop() {
    return null;
  }

  health() {
    return { status: 'ok' };
  }
}
const method = (name) => Object.getOwnPropertyDescriptor(NoopRpcController.prototype, name);
Reflect.decorate(
  [MessagePattern('bench.noop')],
  NoopRpcController.prototype,
  'noop',
  method('noop'),
);
Reflect.decorate([Get('health')], NoopRpcController.prototype, 'health', method('health'));
Reflect.decorate([Controller()], NoopRpcController);

class NoopServiceModule {}
Reflect.decorate([Module({ controllers: [NoopRpcController] })], NoopServiceModule);

async function main() {
  const logger = createLogger('bench-noop-service', process.env.LOG_LEVEL || 'warn');
  const app = await NestFactory.create(NoopServiceModule, new FastifyAdapter(), {
    logger: new PinoNestLogger(logger),
  });
  app.useGlobalFilters(new RpcErrorsThrough(app.getHttpAdapter()));
  app.connectMicroservice(
    rpcServerOptions(
      process.env.RABBITMQ_URL,
      RPC_QUEUES.member,
      Number(process.env.RPC_PREFETCH || 32),
      logger,
      new AppMetrics('bench-noop'),
    ),
    { inheritAppConfig: true },
  );
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.startAllMicroservices();
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
