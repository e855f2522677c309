import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { exchangeOf } from '@member-system/contracts';
import type { EventEnvelope, EventPayload, EventType } from '@member-system/contracts';
import { statement } from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import { currentCorrelationId } from '@member-system/shared/observability';

interface EnvelopeOptions {
  correlationId?: string;
  occurredAt?: Date;
}

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
    options: EnvelopeOptions = {},
  ): Promise<string> {
    const [eventId = ''] = await this.addMany(manager, type, [payload], options);
    return eventId;
  }

  /** Many events of one type in one statement (bulk work); returns their event ids in order. */
  async addMany<T extends EventType>(
    manager: EntityManager,
    type: T,
    payloads: ReadonlyArray<EventPayload<T>>,
    options: EnvelopeOptions = {},
  ): Promise<string[]> {
    if (payloads.length === 0) return [];
    const { statement, eventIds } = this.insertOf(manager, type, payloads, options);
    await manager.query(statement.sql, [...statement.params]);
    return eventIds;
  }

  /**
   * The statement that adds one event, for the caller to send with others of its transaction
   * (`queryTogether`); the relay publishes after that transaction's commit.
   */
  statement<T extends EventType>(
    manager: EntityManager,
    type: T,
    payload: EventPayload<T>,
    options: EnvelopeOptions = {},
  ): Statement {
    return this.insertOf(manager, type, [payload], options).statement;
  }

  /** The statement that adds many events of one type (bulk work), for `queryTogether`. */
  statementOfMany<T extends EventType>(
    manager: EntityManager,
    type: T,
    payloads: ReadonlyArray<EventPayload<T>>,
    options: EnvelopeOptions = {},
  ): Statement {
    return this.insertOf(manager, type, payloads, options).statement;
  }

  /**
   * `statement`, with one string field of the payload filled in by MySQL from `sqlValue`: a
   * session variable that an earlier statement of the same round trip set, such as the id of the
   * row it inserted. So an event that names that id travels with the writes it announces.
   * `sqlValue` is SQL the caller wrote, never input.
   */
  statementFilling<T extends EventType, F extends keyof EventPayload<T> & string>(
    manager: EntityManager,
    type: T,
    payload: Omit<EventPayload<T>, F>,
    field: F,
    sqlValue: string,
    options: EnvelopeOptions = {},
  ): Statement {
    const insert = this.insertOf(
      manager,
      type,
      [{ ...payload, [field]: '' } as EventPayload<T>],
      options,
    ).statement;
    return statement(
      insert.sql.replace(
        /\(\?, \?, \?, \?\)$/,
        `(?, ?, ?, JSON_SET(?, '$.payload.${field}', CAST(${sqlValue} AS CHAR)))`,
      ),
      insert.params,
    );
  }

  private insertOf<T extends EventType>(
    manager: EntityManager,
    type: T,
    payloads: ReadonlyArray<EventPayload<T>>,
    options: EnvelopeOptions,
  ): { statement: Statement; eventIds: string[] } {
    const occurredAt = (options.occurredAt ?? new Date()).toISOString();
    const correlationId = options.correlationId ?? currentCorrelationId();
    const envelopes = payloads.map((payload): EventEnvelope<EventPayload<T>, T> => ({
      eventId: randomUUID(),
      type,
      occurredAt,
      correlationId,
      producer: this.producer,
      payload: { ...payload },
    }));
    markOutboxWritten(manager);
    return {
      statement: statement(
        `INSERT INTO outbox_message (event_id, event_type, exchange, envelope) VALUES ${envelopes
          .map(() => '(?, ?, ?, ?)')
          .join(', ')}`,
        envelopes.flatMap((envelope) => [
          envelope.eventId,
          type,
          exchangeOf(type),
          JSON.stringify(envelope),
        ]),
      ),
      eventIds: envelopes.map((envelope) => envelope.eventId),
    };
  }
}

/** Set on a transaction's query runner that wrote outbox rows: the relay publishes after its commit. */
export const OUTBOX_WRITTEN = 'outboxWritten';

function markOutboxWritten(manager: EntityManager): void {
  const runner = manager.queryRunner;
  if (runner) runner.data = { ...runner.data, [OUTBOX_WRITTEN]: true };
}
