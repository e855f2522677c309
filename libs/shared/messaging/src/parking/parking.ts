import type { Channel } from 'amqplib';
import { ATTEMPT_HEADER, PARK_REASON_HEADER } from '../consumer/event-consumer';
import { EVENT_DELIVERY_LIMIT, parkingQueueName } from '../topology/topology';

export interface ParkedMessage {
  messageId: string;
  type: string;
  attempts: number;
  reason: string;
  body: string;
}

/**
 * Lists up to `limit` parked messages of a service's event queue without removing them
 * (each is read and put back).
 */
export async function listParked(
  channel: Channel,
  queue: string,
  limit = 50,
): Promise<ParkedMessage[]> {
  const parked: ParkedMessage[] = [];
  const seen = [];
  for (let index = 0; index < limit; index += 1) {
    const message = await channel.get(parkingQueueName(queue), { noAck: false });
    if (!message) break;
    seen.push(message);
    const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
    parked.push({
      messageId: String(message.properties.messageId ?? ''),
      type: String(message.properties.type ?? message.fields.routingKey),
      attempts: Number(headers[ATTEMPT_HEADER] ?? 1),
      reason: reasonOf(headers),
      body: message.content.toString('utf8'),
    });
  }
  // Unacked messages return to the queue, in order, when released together.
  for (const message of seen) channel.nack(message, false, true);
  return parked;
}

/**
 * The consumer's reason, or the broker's: the event queue dead-letters a message handed out
 * EVENT_DELIVERY_LIMIT times without an ack (its consumer crashed on it, or lost its channel) to
 * parking, with an x-death header.
 */
function reasonOf(headers: Record<string, unknown>): string {
  const reason = headers[PARK_REASON_HEADER];
  if (typeof reason === 'string') return reason;
  const deaths = headers['x-death'];
  const [death] = Array.isArray(deaths) ? (deaths as Array<Record<string, unknown>>) : [];
  const { reason: brokerReason, queue } = death ?? {};
  if (brokerReason === 'delivery_limit') {
    return `${String(queue)} handed it out ${EVENT_DELIVERY_LIMIT} times without an ack (the consumer crashed or lost its channel each time)`;
  }
  return typeof brokerReason === 'string' ? `dead-lettered by RabbitMQ: ${brokerReason}` : '';
}

/** The broker's record of a message's dead-lettering, which a replayed message starts without. */
const DEATH_HEADERS = [
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
  'x-delivery-count',
];

/**
 * Moves up to `limit` parked messages back to the service's event queue with a fresh attempt
 * count (after the cause was fixed). Each is acked from parking only once the broker confirmed
 * the copy, so a failure midway loses nothing. Returns how many were moved.
 */
export async function replayParked(
  channel: Channel & { waitForConfirms(): Promise<void> },
  queue: string,
  limit = 1000,
): Promise<number> {
  let moved = 0;
  for (; moved < limit; moved += 1) {
    const message = await channel.get(parkingQueueName(queue), { noAck: false });
    if (!message) break;
    const headers = { ...(message.properties.headers ?? {}) } as Record<string, unknown>;
    delete headers[ATTEMPT_HEADER];
    delete headers[PARK_REASON_HEADER];
    // RabbitMQ drops a message dead-lettered into a queue its x-death already names (a cycle):
    // a replayed event parked by the delivery limit would be lost at its next retry.
    for (const header of DEATH_HEADERS) delete headers[header];
    headers['x-replayed-at'] = new Date().toISOString();
    channel.sendToQueue(queue, message.content, {
      ...message.properties,
      headers,
      persistent: true,
    });
    await channel.waitForConfirms();
    channel.ack(message);
  }
  return moved;
}
