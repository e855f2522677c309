import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { exchangeOf } from '@member-system/contracts';
import type { EventEnvelope, EventPayload, EventType } from '@member-system/contracts';
import { currentCorrelationId } from '@member-system/shared/observability';

/**
 * Writes domain events into the outbox inside the caller's transaction, so the state change and
 * its event commit or roll back together. The relay publishes them after commit.
 */
export class OutboxWriter {
  constructor(private readonly producer: string) {}

  async add<T extends EventType>(
    manager: EntityManager,
    type: T,
    payload: EventPayload<T>,
    options: { correlationId?: string; occurredAt?: Date } = {},
  ): Promise<string> {
    const envelope: EventEnvelope<EventPayload<T>, T> = {
      eventId: randomUUID(),
      type,
      occurredAt: (options.occurredAt ?? new Date()).toISOString(),
      correlationId: options.correlationId ?? currentCorrelationId(),
      producer: this.producer,
      payload: { ...payload },
    };
    await manager.query(
      'INSERT INTO outbox_message (event_id, event_type, exchange, envelope) VALUES (?, ?, ?, ?)',
      [envelope.eventId, type, exchangeOf(type), JSON.stringify(envelope)],
    );
    return envelope.eventId;
  }
}
