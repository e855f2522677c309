import type { Channel } from 'amqplib';
import type { Logger } from 'pino';
import { AppMetrics } from '@member-system/shared/observability';
import { rpcServerOptions } from './rpc-server';

interface ChannelSetup {
  setupChannel(channel: Channel, callback: () => void): Promise<void>;
}

describe('RpcServer', () => {
  it('logs a consume that its closing channel never answered instead of leaving it unhandled', async () => {
    const warn = jest.fn();
    const logger = { warn, error: jest.fn(), info: jest.fn() } as unknown as Logger;
    const sut = rpcServerOptions(
      'amqp://127.0.0.1:1',
      'probe.rpc',
      1,
      logger,
      new AppMetrics('probe'),
    ).strategy as unknown as ChannelSetup;
    const closed = new Error('Channel ended, no reply will be forthcoming');
    const channel = {
      assertQueue: jest.fn().mockResolvedValue({ queue: 'probe.rpc' }),
      prefetch: jest.fn().mockResolvedValue(undefined),
      consume: jest.fn().mockRejectedValue(closed),
    } as unknown as Channel;

    await sut.setupChannel(channel, () => undefined);
    await new Promise((resolve) => setImmediate(resolve));

    expect(warn).toHaveBeenCalledWith(
      { err: closed },
      'RPC consumer not started: its channel closed',
    );
  });
});
