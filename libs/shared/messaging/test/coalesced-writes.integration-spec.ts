import type { Socket } from 'node:net';
import { connect } from 'amqplib';
import type { ChannelModel } from 'amqplib';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { coalesceAmqpWrites } from '../src';
import { messagingTestDatabase } from './messaging-test-kit';

/** The socket under an amqplib connection (amqplib keeps it on its internal connection). */
function socketOf(model: ChannelModel): Socket {
  return (model as unknown as { connection: { stream: Socket } }).connection.stream;
}

/** Counts the socket's writes to the kernel: one per `_write`, one per `_writev` (many chunks). */
function countWrites(socket: Socket): { writes: number } {
  const counter = { writes: 0 };
  const target = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  for (const name of ['_write', '_writev'] as const) {
    const original = target[name].bind(socket);
    target[name] = (...args: unknown[]) => {
      counter.writes += 1;
      original(...args);
    };
  }
  return counter;
}

describe('coalesceAmqpWrites', () => {
  let env: IntegrationEnv;
  let model: ChannelModel;

  beforeAll(async () => {
    env = await openIntegrationEnv(messagingTestDatabase);
    coalesceAmqpWrites();
    model = await connect(env.amqpUrl);
  });

  afterAll(async () => {
    await model.close();
    await env.close();
  });

  it('sends the frames queued in one turn in one socket write, and all of them arrive', async () => {
    const channel = await model.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    const writes = countWrites(socketOf(model));

    for (let index = 0; index < 20; index += 1) {
      channel.sendToQueue(queue, Buffer.from(String(index)));
    }
    // The turn's frames go out on the next check phase; give the broker time to route them.
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      setTimeout(() => reject(new Error(`only ${received.length} of 20 arrived`)), 5_000);
      void channel.consume(
        queue,
        (message) => {
          if (!message) return;
          received.push(message.content.toString());
          if (received.length === 20) resolve();
        },
        { noAck: true },
      );
    });

    expect(received).toEqual(Array.from({ length: 20 }, (_, index) => String(index)));
    // 20 publishes, then the consume call: without coalescing, at least 21 writes.
    expect(writes.writes).toBeLessThanOrEqual(3);
    await channel.close();
  });

  it('applies once, however often it is called', () => {
    coalesceAmqpWrites();
    coalesceAmqpWrites();
    const prototype = Object.getPrototypeOf(
      (model as unknown as { connection: { muxer: object } }).connection.muxer,
    ) as { _readIncoming: { toString(): string } };
    expect(prototype._readIncoming.toString().match(/\.cork\(\)/g)).toHaveLength(1);
  });
});
