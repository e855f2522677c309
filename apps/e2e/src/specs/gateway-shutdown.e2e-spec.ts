import { connect } from 'amqplib';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { RunningApp } from '@member-system/shared/testing';
import {
  amqpUrl,
  createVhost,
  deleteVhost,
  freePort,
  newTestRunId,
  startApp,
  stopApp,
  waitFor,
} from '@member-system/shared/testing';
import { api, memberToken, nextUserId } from '../support/api';
import { fleetInfo } from '../support/fleet';

const LEVELS = { items: [{ id: 1, name: 'Regular', minTotalSpent: '0.00' }], nextCursor: null };

/**
 * A gateway whose member-service is the test: the test holds a request at the "service" while
 * the gateway gets SIGTERM, so the request is certainly in flight when the shutdown begins.
 */
describe('Graceful shutdown of the gateway', () => {
  const vhost = `ms_${newTestRunId()}_drain`;
  let gateway: RunningApp | undefined;
  let connection: ChannelModel | undefined;

  beforeAll(async () => {
    await createVhost(vhost);
  });

  afterAll(async () => {
    if (gateway) await stopApp(gateway);
    await connection?.close();
    await deleteVhost(vhost);
  });

  it('on SIGTERM stops accepting, answers the request in flight, then exits 0', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    gateway = await startApp(
      'gateway',
      { ...fleetInfo().env.gateway, RABBITMQ_URL: amqpUrl(vhost), RPC_TIMEOUT_MS: '20000' },
      port,
    );
    connection = await connect(amqpUrl(vhost));
    // The gateway declared member.rpc when it connected; the test serves it.
    const channel: Channel = await waitFor(
      async () => {
        const candidate = await (connection as ChannelModel).createChannel();
        candidate.on('error', () => undefined);
        await candidate.checkQueue('member.rpc');
        return candidate;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: "the gateway's member.rpc queue" },
    );
    const arrived = new Promise<ConsumeMessage>((resolve) => {
      void channel.consume('member.rpc', (message) => message && resolve(message), {
        noAck: true,
      });
    });

    const inFlight = api('GET', '/api/v1/levels', { baseUrl, token: memberToken(nextUserId()) });
    const request = await arrived;
    const ended = stopApp(gateway, 30_000);

    // No new request gets in: the port refuses connections (or a kept-alive one gets 503).
    await waitFor(
      async () => {
        try {
          const response = await fetch(`${baseUrl}/health/live`, {
            signal: AbortSignal.timeout(2_000),
          });
          return response.status === 503;
        } catch {
          return true;
        }
      },
      { timeoutMs: 15_000, intervalMs: 50, what: 'the gateway to stop accepting' },
    );

    // The service answers only now, as a slow one would: the gateway still delivers it.
    const { id } = JSON.parse(request.content.toString('utf8')) as { id: string };
    channel.sendToQueue(
      request.properties.replyTo as string,
      Buffer.from(JSON.stringify({ id, response: { ok: true, data: LEVELS }, isDisposed: true })),
      { correlationId: request.properties.correlationId as string },
    );
    const answered = await inFlight;
    expect({ status: answered.status, body: answered.body }).toEqual({ status: 200, body: LEVELS });
    expect(await ended).toEqual({ code: 0, signal: null });
  });
});
