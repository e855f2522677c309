// What the CQRS buses add to one call: the same handler called directly and through the
// CommandBus / QueryBus of a real Nest application context, N times each, in nanoseconds per
// call. `node tools/bench/bus-dispatch.mjs [calls]` (default 1 000 000).
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Command,
  CommandBus,
  CommandHandler,
  CqrsModule,
  Query,
  QueryBus,
  QueryHandler,
} from '@nestjs/cqrs';

const calls = Number(process.argv[2] ?? 1_000_000);

class Ping extends Command {
  constructor(value) {
    super();
    this.value = value;
  }
}
class Peek extends Query {
  constructor(value) {
    super();
    this.value = value;
  }
}
class PingHandler {
  async execute(command) {
    return command.value + 1;
  }
}
class PeekHandler {
  async execute(query) {
    return query.value + 1;
  }
}
Injectable()(PingHandler);
CommandHandler(Ping)(PingHandler);
Injectable()(PeekHandler);
QueryHandler(Peek)(PeekHandler);
class BenchModule {}
Module({ imports: [CqrsModule.forRoot()], providers: [PingHandler, PeekHandler] })(BenchModule);

const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
await app.init();
const commandBus = app.get(CommandBus);
const queryBus = app.get(QueryBus);
const handler = app.get(PingHandler);

async function nsPerCall(label, call) {
  for (let i = 0; i < 50_000; i++) await call(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call(i);
  const ns = Number(process.hrtime.bigint() - start) / calls;
  process.stdout.write(`${label.padEnd(24)} ${ns.toFixed(0).padStart(6)} ns per call\n`);
  return ns;
}

const direct = await nsPerCall('handler.execute', (i) => handler.execute(new Ping(i)));
const viaCommandBus = await nsPerCall('commandBus.execute', (i) => commandBus.execute(new Ping(i)));
const viaQueryBus = await nsPerCall('queryBus.execute', (i) => queryBus.execute(new Peek(i)));
process.stdout.write(
  `the buses add ${(viaCommandBus - direct).toFixed(0)} ns (command) and ${(viaQueryBus - direct).toFixed(0)} ns (query) per call\n`,
);
await app.close();
