import { Controller, Module } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import type { RmqContext } from '@nestjs/microservices';
import { connect } from 'amqplib';
import type { Channel } from 'amqplib';
import { ErrorCode, RPC_QUEUES } from '@member-system/contracts';
import type { RpcCommand } from '@member-system/contracts';
import { AppException, ServiceUnavailableException } from '@member-system/shared/errors';
import { AppMetrics, currentCorrelationId } from '@member-system/shared/observability';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv, testLogger, waitFor } from '@member-system/shared/testing';
import { RpcClient, RpcErrorsThrough, rpcServerOptions } from '../src';
import { messagingTestDatabase } from './messaging-test-kit';

/** How many times `probe.count` ran. */
let countCalls = 0;

@Controller()
class ProbeRpcController {
  @MessagePattern('probe.count')
  count(): unknown {
    countCalls += 1;
    return { calls: countCalls };
  }

  @MessagePattern('probe.echo')
  echo(@Payload() command: RpcCommand<{ text: string }>): unknown {
    return {
      text: command.data.text,
      userId: command.actor.userId,
      correlationId: currentCorrelationId(),
    };
  }

  @MessagePattern('probe.refuse')
  refuse(): never {
    throw new AppException(ErrorCode.PointsInsufficient, 'Not enough points', { available: 3 });
  }

  @MessagePattern('probe.crash')
  crash(): never {
    throw new Error('secret internals: password=hunter2');
  }

  @MessagePattern('probe.read-only-database')
  writeToReadOnlyDatabase(): never {
    // What mysql2 raises when the server runs with --read-only (ER_OPTION_PREVENTS_STATEMENT).
    throw Object.assign(new Error('The MariaDB server is running with the --read-only option'), {
      errno: 1290,
      code: 'ER_OPTION_PREVENTS_STATEMENT',
    });
  }

  @MessagePattern('probe.lose-channel')
  async loseChannel(@Ctx() context: RmqContext): Promise<unknown> {
    // What a RabbitMQ restart does to a request in hand: its connection, and with it its
    // channel, closes before the ack. The server's connection manager connects again.
    const channel = context.getChannelRef() as Channel & { connection: { close(): Promise<void> } };
    await channel.connection.close();
    return { answered: true };
  }

  @MessagePattern('probe.database-down')
  readWhileDatabaseRestarts(): never {
    // What mysql2 raises on a pooled connection when the server shuts down under it.
    throw Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
      fatal: true,
    });
  }
}

@Module({ controllers: [ProbeRpcController] })
class ProbeModule {}

const actor = { userId: '42', roles: ['member' as const], perms: [] };
const command = <T>(data: T, correlationId = 'corr-1'): RpcCommand<T> => ({
  data,
  actor,
  correlationId,
});

describe(RpcClient.name, () => {
  let env: IntegrationEnv;
  let server: INestMicroservice;
  let sut: RpcClient;

  beforeAll(async () => {
    env = await openIntegrationEnv(messagingTestDatabase);
    // Prefetch 1: if any request were left unacked, every later call would hang.
    server = await NestFactory.createMicroservice(ProbeModule, {
      ...rpcServerOptions(
        env.amqpUrl,
        RPC_QUEUES.benefit,
        1,
        testLogger(),
        new AppMetrics('probe'),
      ),
      logger: false,
    });
    server.useGlobalFilters(new RpcErrorsThrough());
    await server.listen();
    sut = new RpcClient(env.amqpUrl, 2000);
  });

  afterAll(async () => {
    await sut.close();
    await server.close();
    await env.close();
  });

  it('returns the reply, with the actor and correlation id carried to the handler', async () => {
    await expect(
      sut.send('benefit', 'probe.echo', command({ text: 'hi' }, 'corr-echo')),
    ).resolves.toEqual({
      text: 'hi',
      userId: '42',
      correlationId: 'corr-echo',
    });
  });

  it('carries a business error code and its details back intact', async () => {
    const failure = sut.send('benefit', 'probe.refuse', command({}));
    await expect(failure).rejects.toBeInstanceOf(AppException);
    await expect(failure).rejects.toMatchObject({
      code: ErrorCode.PointsInsufficient,
      details: { available: 3 },
    });
  });

  it('hides an unexpected error behind INTERNAL_ERROR without leaking its message', async () => {
    const failure = sut.send('benefit', 'probe.crash', command({}));
    await expect(failure).rejects.toMatchObject({ code: ErrorCode.Internal });
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it('answers READ_ONLY_MODE when the database refuses a write for being read-only', async () => {
    const failure = sut.send('benefit', 'probe.read-only-database', command({}));

    await expect(failure).rejects.toMatchObject({ code: ErrorCode.ReadOnlyMode });
    await expect(failure).rejects.not.toThrow(/MariaDB/);
  });

  it('answers SERVICE_UNAVAILABLE (503, retry) when the database cannot be reached', async () => {
    const failure = sut.send('benefit', 'probe.database-down', command({}));

    await expect(failure).rejects.toMatchObject({
      code: ErrorCode.ServiceUnavailable,
      details: { dependency: 'mysql' },
    });
    await expect(failure).rejects.not.toThrow(/Connection lost/);
  });

  it('answers a pattern no handler serves (a replica not yet updated) with 503, and serves the rest', async () => {
    await expect(sut.send('benefit', 'probe.missing', command({}))).rejects.toMatchObject({
      code: ErrorCode.ServiceUnavailable,
    });
    await expect(
      sut.send('benefit', 'probe.echo', command({ text: 'after' })),
    ).resolves.toMatchObject({ text: 'after' });
  });

  it('acks every request, failed or not, so a server with prefetch 1 keeps answering', async () => {
    const patterns = ['probe.crash', 'probe.refuse', 'probe.echo', 'probe.crash', 'probe.echo'];
    const results = [];
    for (const pattern of patterns) {
      results.push(
        await sut.send('benefit', pattern, command({ text: pattern })).then(
          () => 'ok',
          () => 'error',
        ),
      );
    }
    expect(results).toEqual(['error', 'error', 'ok', 'error', 'ok']);
  });

  it("keeps serving when a request's channel closes before it is acked", async () => {
    // The reply may or may not get out once connected again; the server must live on.
    await sut.send('benefit', 'probe.lose-channel', command({})).catch(() => undefined);
    await waitFor(
      () =>
        sut.send('benefit', 'probe.echo', command({ text: 'still here' })).then(
          (reply) => (reply as { text: string }).text === 'still here',
          () => false,
        ),
      { timeoutMs: 15_000, what: 'an answer after the channel came back' },
    );
  });

  it('never runs a request that arrives after its caller stopped waiting, and serves the next', async () => {
    // What a quorum queue hands out after a node's failure: a request kept past the deadline the
    // gateway answered 503 at. Published straight to the queue, as the broker would deliver it.
    const before = countCalls;
    const connection = await connect(env.amqpUrl);
    try {
      const channel = await connection.createConfirmChannel();
      const { queue: replyQueue } = await channel.assertQueue('', { exclusive: true });
      const late = { pattern: 'probe.count', data: command({}), id: 'late-1' };
      channel.sendToQueue(RPC_QUEUES.benefit, Buffer.from(JSON.stringify(late)), {
        replyTo: replyQueue,
        correlationId: 'late-1',
        headers: { 'x-deadline': String(Date.now() - 1000) },
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    // Prefetch 1 and one queue: the late request is settled before this one is served.
    await expect(sut.send('benefit', 'probe.count', command({}))).resolves.toEqual({
      calls: before + 1,
    });
    expect(countCalls).toBe(before + 1);
  });

  it('answers SERVICE_UNAVAILABLE within the timeout when no server consumes the queue', async () => {
    const impatient = new RpcClient(env.amqpUrl, 500);
    try {
      const failure = impatient.send('event', 'campaign.list', command({}));
      await expect(failure).rejects.toBeInstanceOf(ServiceUnavailableException);
      await expect(failure).rejects.toMatchObject({
        code: ErrorCode.ServiceUnavailable,
        details: { dependency: 'event' },
      });
    } finally {
      await impatient.close();
    }
  });

  it('reaches the service through a list of nodes whose first one does not answer', async () => {
    const clustered = new RpcClient(`amqp://guest:guest@127.0.0.1:1,${env.amqpUrl}`, 2000);
    try {
      await clustered.connect(['benefit'], 10_000);
      await expect(
        clustered.send('benefit', 'probe.echo', command({ text: 'node 2' })),
      ).resolves.toEqual(expect.objectContaining({ text: 'node 2' }));
    } finally {
      await clustered.close();
    }
  });
});
