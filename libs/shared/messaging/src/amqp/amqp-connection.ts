import { connect } from 'amqp-connection-manager';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import { connect as connectOnce } from 'amqplib';
import type { ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { HealthIndicatorService } from '@nestjs/terminus';
import { parseAmqpUrls } from '@member-system/shared/config';
import { pingIndicator } from '@member-system/shared/observability';
import { QueueMigrationNeededError, isPreconditionFailed } from '../topology/topology';
import { coalesceAmqpWrites } from './coalesced-writes';

// Every process that talks AMQP loads this module first: its frames leave a turn at a time.
coalesceAmqpWrites();

/**
 * amqplib leaves Nagle's algorithm on: a small frame (an RPC request or reply) then waits for the
 * peer's delayed ACK, about 40 ms on Linux, before it is sent. Every connection turns it off.
 */
export const AMQP_SOCKET_OPTIONS = { noDelay: true };

/**
 * The socket options of Nest's RMQ client and server: as for `connectAmqp`, a node that is down
 * is left for the next one of RABBITMQ_URL after 1 s (amqp-connection-manager waits 5 s by
 * default, and every call of a gateway whose first node is down would answer 503 meanwhile).
 */
export const RMQ_SOCKET_OPTIONS = {
  reconnectTimeInSeconds: 1,
  connectionOptions: AMQP_SOCKET_OPTIONS,
};

/**
 * A self-healing connection: amqp-connection-manager reconnects after a broker restart and
 * re-runs each channel's setup (topology, consumers). `urls` is RABBITMQ_URL: one URL, or a
 * cluster's nodes separated by commas, tried in turn at each reconnection, so a client whose node
 * went away moves to a survivor.
 */
export function connectAmqp(urls: string, connectionName: string): AmqpConnectionManager {
  return connect(parseAmqpUrls(urls), {
    heartbeatIntervalInSeconds: 10,
    reconnectTimeInSeconds: 1,
    connectionOptions: {
      ...AMQP_SOCKET_OPTIONS,
      clientProperties: { connection_name: connectionName },
    },
  });
}

/**
 * A plain amqplib connection (for a command line tool) to the first node of RABBITMQ_URL that
 * answers.
 */
export async function connectFirst(urls: string): Promise<ChannelModel> {
  const failures: string[] = [];
  for (const url of parseAmqpUrls(urls)) {
    try {
      return await connectOnce(url, AMQP_SOCKET_OPTIONS);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new Error(`no RabbitMQ node of RABBITMQ_URL answered: ${failures.join('; ')}`);
}

/**
 * Readiness of the app's RabbitMQ connection: connected, and the broker opens (and closes) a
 * channel on it. A broker that froze with the socket still open fails the round trip, where the
 * connection's own state would stay "connected" until heartbeats time out.
 */
export function amqpIndicator(health: HealthIndicatorService, connection: AmqpConnectionManager) {
  return pingIndicator(health, 'rabbitmq', async () => {
    const amqp = connection.connection;
    if (!connection.isConnected() || !amqp) throw new Error('not connected to RabbitMQ');
    const channel = await amqp.createChannel();
    // The connection failing under it is the probe's answer (down), not an event to crash on.
    channel.on('error', () => undefined);
    await channel.close();
  });
}

/** Resolves once connected, or rejects after `timeoutMs` (the manager keeps retrying anyway). */
export async function waitForAmqp(
  connection: AmqpConnectionManager,
  timeoutMs: number,
): Promise<void> {
  if (connection.isConnected()) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.removeListener('connect', onConnect);
      reject(new Error(`RabbitMQ did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onConnect = (): void => {
      clearTimeout(timer);
      resolve();
    };
    connection.once('connect', onConnect);
  });
}

/**
 * A channel wrapper emits 'error' when its setup or a publish fails, which a broker going away
 * under it causes; an EventEmitter with no listener for 'error' throws, and that ended the
 * process (seen under npm run chaos). The wrapper reconnects and runs its setup again by itself,
 * and what it was publishing is retried by its owner, so the error is only logged.
 */
export function logChannelErrors<T extends ChannelWrapper>(
  channel: T,
  logger: Pick<Logger, 'warn' | 'error'>,
  name: string,
): T {
  channel.on('error', (error: unknown) => {
    // Not one that recovers by itself: the queue must be migrated; the message says how.
    if (error instanceof QueueMigrationNeededError) {
      logger.error({ err: error, channel: name }, error.message);
      return;
    }
    if (isPreconditionFailed(error)) {
      logger.error(
        { err: error, channel: name },
        'RabbitMQ refused a declaration (406): a queue exists with other arguments, such as a ' +
          'classic queue of an earlier version; run the queue migration (`npm run migrate`, see ' +
          'docs/operations.md, "Upgrade")',
      );
      return;
    }
    logger.warn({ err: error, channel: name }, 'RabbitMQ channel error; it recovers by itself');
  });
  return channel;
}

/**
 * Acks or nacks a message on its channel. A channel that closed meanwhile (RabbitMQ restarting)
 * cannot, and amqplib throws: left alone, that ended the process. The broker delivers a message
 * it never saw settled again by itself (the inbox or the caller's retry tells a repeat), so the
 * failure is only logged.
 */
export function settleUnlessClosed(
  settle: () => void,
  logger: Pick<Logger, 'warn'>,
  what: string,
): void {
  try {
    settle();
  } catch (error) {
    logger.warn({ err: error }, `${what}: its channel closed; RabbitMQ delivers it again`);
  }
}
