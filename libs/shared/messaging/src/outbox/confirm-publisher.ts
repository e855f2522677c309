import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { UNROUTED_QUEUE } from '@member-system/contracts';
import { logChannelErrors } from '../amqp/amqp-connection';
import { declareExchanges } from '../topology/topology';

export interface PublishedMessage {
  exchange: string;
  routingKey: string;
  body: string;
  messageId: string;
  type: string;
  correlationId: string;
}

/**
 * Publishes with confirms: `persistent`, `mandatory`, and a return listener, so a message counts as
 * published only when the broker has taken responsibility for it and routed it somewhere.
 */
export class ConfirmPublisher {
  private readonly channel: ChannelWrapper;
  private readonly returned = new Set<string>();

  constructor(
    connection: AmqpConnectionManager,
    private readonly logger: Logger,
    private readonly timeoutMs = 5000,
  ) {
    this.channel = connection.createChannel({
      name: 'outbox-publisher',
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        channel.on('return', (message: ConsumeMessage) => {
          const messageId = String(message.properties.messageId);
          this.returned.add(messageId);
          this.logger.error(
            { messageId, routingKey: message.fields.routingKey, exchange: message.fields.exchange },
            'broker returned an unroutable event',
          );
        });
        await declareExchanges(channel);
      },
    });
    logChannelErrors(this.channel, logger, 'outbox-publisher');
  }

  /** How many events wait in the unrouted queue (published while no queue was bound for them). */
  async unroutedMessages(): Promise<number> {
    return (await this.channel.checkQueue(UNROUTED_QUEUE)).messageCount;
  }

  async publish(message: PublishedMessage): Promise<void> {
    await this.channel.publish(message.exchange, message.routingKey, Buffer.from(message.body), {
      persistent: true,
      mandatory: true,
      contentType: 'application/json',
      messageId: message.messageId,
      type: message.type,
      correlationId: message.correlationId,
      timestamp: Math.floor(Date.now() / 1000),
      timeout: this.timeoutMs,
    });
    // A return arrives before the confirm of the same message, so it is known by now.
    if (this.returned.delete(message.messageId)) {
      throw new Error(`event ${message.messageId} (${message.type}) was unroutable`);
    }
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
