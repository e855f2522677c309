// Publishes events as the platform's other services do, onto the fleet's vhost.
import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { fleetInfo } from './fleet';

export const PLATFORM_EXCHANGE = 'platform.events';

export interface PublishOptions {
  /** Defaults to a new UUID; pass the same one to publish a duplicate. */
  eventId?: string;
  correlationId?: string;
  /** Another broker vhost than the fleet's (e.g. that of a fleet the test started). */
  amqpUrl?: string;
  /** `member-system.events` to deliver an event as one of the fleet's services would. */
  exchange?: string;
}

/**
 * Publishes one envelope to `platform.events` (routing key and AMQP type = the event type,
 * messageId = eventId, persistent) and waits for the broker's confirm. Returns the eventId.
 */
export async function publishPlatformEvent(
  type: string,
  payload: Record<string, unknown>,
  options: PublishOptions = {},
): Promise<string> {
  const eventId = options.eventId ?? randomUUID();
  const envelope = {
    eventId,
    type,
    occurredAt: new Date().toISOString(),
    correlationId: options.correlationId ?? randomUUID(),
    producer: 'e2e-tests',
    payload,
  };
  const connection = await connect(options.amqpUrl ?? fleetInfo().amqpUrl);
  try {
    const channel = await connection.createConfirmChannel();
    channel.publish(
      options.exchange ?? PLATFORM_EXCHANGE,
      type,
      Buffer.from(JSON.stringify(envelope)),
      {
        persistent: true,
        messageId: eventId,
        type,
        contentType: 'application/json',
      },
    );
    await channel.waitForConfirms();
    await channel.close();
  } finally {
    await connection.close();
  }
  return eventId;
}
