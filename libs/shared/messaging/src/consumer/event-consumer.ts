import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { isEventType, validateEventPayload } from '@member-system/contracts';
import type {
  DroppedField,
  EventEnvelope,
  EventPayload,
  EventPayloadLeniency,
  EventType,
} from '@member-system/contracts';
import { isConnectionError, withTransaction } from '@member-system/shared/database';
import type { AppMetrics } from '@member-system/shared/observability';
import {
  runWithContext,
  sanitizeCorrelationId,
  newCorrelationId,
} from '@member-system/shared/observability';
import { logChannelErrors, settleUnlessClosed } from '../amqp/amqp-connection';
import { declareConsumerTopology, parkingQueueName, retryQueueName } from '../topology/topology';

export const ATTEMPT_HEADER = 'x-attempt';
export const PARK_REASON_HEADER = 'x-park-reason';

export interface EventContext<T extends EventType = EventType> {
  /** The handler's transaction: the inbox row, the handler's writes and its outbox rows commit together. */
  manager: EntityManager;
  envelope: EventEnvelope<EventPayload<T>, T>;
  /** Runs `work` once the transaction has committed (e.g. a cache invalidation); never before. */
  afterCommit: (work: () => Promise<void> | void) => void;
  /** Invalid optional fields left out of the payload (only for a handler registered with `droppable`). */
  dropped: readonly DroppedField[];
}

export type EventHandler<T extends EventType> = (
  payload: EventPayload<T>,
  context: EventContext<T>,
) => Promise<void>;

/** The events of one type that follow each other in a batch, in order, for one call. */
export type EventBatchHandler<T extends EventType> = (
  events: ReadonlyArray<{ payload: EventPayload<T>; envelope: EventEnvelope<EventPayload<T>, T> }>,
  context: Omit<EventContext<T>, 'envelope' | 'dropped'>,
) => Promise<void>;

export interface EventConsumerOptions {
  /** Inbox key: the same message is handled once per consumer. */
  consumerName: string;
  queue: string;
  prefetch: number;
  maxAttempts: number;
  retryDelaysMs: readonly number[];
  /**
   * Most events handled in one transaction (1: each in its own). The events in hand are shared
   * out in batches of up to this many, at most ceil(prefetch / batchSize) transactions at once.
   */
  batchSize: number;
}

type Outcome = 'handled' | 'duplicate' | 'retried' | 'parked' | 'invalid';

class InvalidMessage extends Error {}

/** A batch held an event already claimed (a repeat): its events are handled one at a time. */
class RepeatInBatch extends Error {}

/** A message as it arrived, with the channel it must be acked on. */
interface Delivery {
  channel: ConfirmChannel;
  message: ConsumeMessage;
}

type Envelope = EventEnvelope<EventPayload<EventType>, EventType> & {
  /** Set by `parse` when a lenient handler's payload lost invalid optional fields. */
  dropped?: DroppedField[];
};

interface ParsedDelivery extends Delivery {
  envelope: Envelope;
}

/**
 * Consumes one service's event queue with manual acks. Each message is handled in one
 * transaction that first claims the message in the inbox (a duplicate is acked and skipped), and
 * is acked only after commit. A failure is republished to a delay queue, and after the last
 * attempt to the parking queue, then acked: a throwing handler never blocks the messages behind it.
 *
 * Under load the messages in hand are handled in batches, one transaction each (group commit):
 * while the transactions running are busy, new messages wait, and the next free one takes all
 * that waited, up to the batch size. A quiet queue thus sees each message at once in a
 * transaction of its own, and a busy one pays the commit and its round trips once per batch (the
 * inbox claims of a batch go in one statement). A batch that fails, or holds a repeat, is rolled
 * back whole and its messages are handled again one at a time, so one bad message fails, retries
 * and parks alone.
 */
export class EventConsumer {
  private readonly handlers = new Map<EventType, EventHandler<EventType>>();
  private readonly batchHandlers = new Map<EventType, EventBatchHandler<EventType>>();
  private readonly leniencies = new Map<EventType, EventPayloadLeniency>();
  private channel: ChannelWrapper | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Delivered messages no transaction has taken yet. */
  private readonly waiting: Delivery[] = [];
  private running = 0;
  private stopping = false;
  private readonly batchSize: number;
  /** Most transactions at once: enough of them to take every message the prefetch lets in. */
  private readonly lanes: number;

  constructor(
    private readonly connection: AmqpConnectionManager,
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly options: EventConsumerOptions,
    private readonly metrics?: AppMetrics,
  ) {
    this.batchSize = Math.max(1, options.batchSize);
    this.lanes = Math.max(1, Math.ceil(options.prefetch / this.batchSize));
  }

  /**
   * `leniency.droppable` names optional fields the handler can do without: an invalid one is left
   * out (and listed in the context's `dropped`) instead of parking the whole message.
   */
  on<T extends EventType>(
    type: T,
    handler: EventHandler<T>,
    leniency: EventPayloadLeniency = {},
  ): this {
    if (this.channel) throw new Error('register handlers before start()');
    this.handlers.set(type, handler as unknown as EventHandler<EventType>);
    this.leniencies.set(type, leniency);
    return this;
  }

  /**
   * Registers a handler that takes the events of `type` that follow each other in a batch in one
   * call (one event when it comes alone): bulk work in the batch's transaction, such as one
   * statement for many rows. If it throws, the batch is handled again one event at a time, as
   * for any handler.
   */
  onBatch<T extends EventType>(type: T, handler: EventBatchHandler<T>): this {
    this.on(type, (payload, { envelope, dropped: _dropped, ...context }) =>
      handler([{ payload, envelope }], context),
    );
    this.batchHandlers.set(type, handler as unknown as EventBatchHandler<EventType>);
    return this;
  }

  get types(): EventType[] {
    return [...this.handlers.keys()];
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.channel = this.connection.createChannel({
      name: `${this.options.queue}-consumer`,
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        await declareConsumerTopology(channel, {
          queue: this.options.queue,
          types: this.types,
          retryDelaysMs: this.options.retryDelaysMs,
        });
        await channel.prefetch(this.options.prefetch);
        await channel.consume(this.options.queue, (message) => {
          if (!message) return;
          this.waiting.push({ channel, message });
          this.startBatches();
        });
      },
    });
    logChannelErrors(this.channel, this.logger, `${this.options.queue}-consumer`);
    await this.channel.waitForConnect();
    const parking = parkingQueueName(this.options.queue);
    this.metrics?.watchParkingQueue(parking, async () => {
      if (!this.channel) throw new Error('consumer stopped');
      return (await this.channel.checkQueue(parking)).messageCount;
    });
  }

  /** Stops taking messages, lets the ones in hand finish, then closes the channel. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.channel) return;
    this.metrics?.unwatchParkingQueue(parkingQueueName(this.options.queue));
    await this.channel.cancelAll().catch(() => undefined);
    // A batch that ends starts the next one from the waiting messages: wait for all of them.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.channel.close();
    this.channel = undefined;
  }

  private settle(settle: () => void): void {
    settleUnlessClosed(settle, this.logger, 'event not acked');
  }

  private startBatches(): void {
    while (this.running < this.lanes && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.batchSize);
      this.running += 1;
      this.track(
        this.handleBatch(batch).finally(() => {
          this.running -= 1;
          this.startBatches();
        }),
      );
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work
      // Nothing a message does may end the process; every outcome is settled where it happens.
      .catch((error: unknown) => this.logger.error({ err: error }, 'event handling failed'))
      .finally(() => this.inFlight.delete(work));
  }

  private async handleBatch(batch: Delivery[]): Promise<void> {
    const started = process.hrtime.bigint();
    const parsed: ParsedDelivery[] = [];
    for (const delivery of batch) {
      try {
        parsed.push({ ...delivery, envelope: this.parse(delivery.message) });
      } catch (error) {
        const outcome = await this.reroute(delivery.channel, delivery.message, error);
        this.record(typeOf(delivery.message), outcome, started);
      }
    }
    if (parsed.length > 1) {
      this.metrics?.eventBatchSize.observe(parsed.length);
      try {
        const outcomes = await this.process(parsed.map((delivery) => delivery.envelope));
        parsed.forEach((delivery, index) =>
          this.finish(delivery, outcomes[index] ?? 'handled', started),
        );
        return;
      } catch (error) {
        if (error instanceof RepeatInBatch) {
          this.logger.debug({ events: parsed.length }, error.message);
        } else {
          this.logger.warn(
            { err: error, events: parsed.length },
            'a batch of events failed and was rolled back; handling them one at a time',
          );
        }
      }
    }
    // In delivery order, so events of one member keep their order.
    for (const delivery of parsed) await this.handleAlone(delivery);
  }

  private async handleAlone(delivery: ParsedDelivery): Promise<void> {
    const started = process.hrtime.bigint();
    let outcome: Outcome;
    try {
      [outcome = 'handled'] = await this.process([delivery.envelope]);
    } catch (error) {
      outcome = await this.reroute(delivery.channel, delivery.message, error);
    }
    this.finish(delivery, outcome, started);
  }

  /**
   * Acked only after the work committed (or the message moved on); never rerouted for a failed
   * ack, which would repeat work already done.
   */
  private finish(delivery: ParsedDelivery, outcome: Outcome, started: bigint): void {
    if (outcome === 'handled' || outcome === 'duplicate') {
      this.settle(() => delivery.channel.ack(delivery.message));
    }
    this.record(delivery.envelope.type, outcome, started);
  }

  private record(type: string, outcome: Outcome, started: bigint): void {
    this.metrics?.eventsConsumed.inc({ type, outcome });
    this.metrics?.eventDuration.observe({ type }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  private parse(message: ConsumeMessage): Envelope {
    let body: unknown;
    try {
      body = JSON.parse(message.content.toString('utf8'));
    } catch {
      throw new InvalidMessage('body is not JSON');
    }
    const envelope = body as Partial<EventEnvelope>;
    if (
      typeof envelope.eventId !== 'string' ||
      !/^[A-Za-z0-9._:-]{1,128}$/.test(envelope.eventId)
    ) {
      throw new InvalidMessage('eventId is missing or malformed');
    }
    if (typeof envelope.type !== 'string' || !isEventType(envelope.type)) {
      throw new InvalidMessage(`unknown event type ${String(envelope.type)}`);
    }
    if (!this.handlers.has(envelope.type)) {
      throw new InvalidMessage(`no handler for ${envelope.type} in ${this.options.consumerName}`);
    }
    const validation = validateEventPayload(
      envelope.type,
      envelope.payload,
      this.leniencies.get(envelope.type),
    );
    if (!validation.ok)
      throw new InvalidMessage(`invalid payload: ${validation.errors.join('; ')}`);
    return {
      eventId: envelope.eventId,
      type: envelope.type,
      occurredAt:
        typeof envelope.occurredAt === 'string' ? envelope.occurredAt : new Date().toISOString(),
      correlationId: sanitizeCorrelationId(envelope.correlationId) ?? newCorrelationId(),
      producer: typeof envelope.producer === 'string' ? envelope.producer : 'unknown',
      payload: validation.value,
      ...(validation.dropped && { dropped: validation.dropped }),
    };
  }

  /** Handles the events in order in one transaction; returns each one's outcome. */
  private async process(envelopes: Envelope[]): Promise<Outcome[]> {
    const { outcomes, afterCommit } = await withTransaction(this.dataSource, async (manager) => {
      // Collected per attempt: a deadlock retry starts over with empty lists.
      const callbacks: Array<() => Promise<void> | void> = [];
      const results: Outcome[] = [];
      const claimed = await this.claim(manager, envelopes);
      if (claimed < envelopes.length) {
        if (envelopes.length === 1) return { outcomes: ['duplicate' as const], afterCommit: [] };
        throw new RepeatInBatch(
          `${envelopes.length - claimed} of ${envelopes.length} events in a batch were handled before; handling them one at a time`,
        );
      }
      for (let start = 0; start < envelopes.length;) {
        const first = envelopes[start] as Envelope;
        const batchHandler = this.batchHandlers.get(first.type);
        let end = start + 1;
        while (batchHandler && end < envelopes.length && envelopes[end]?.type === first.type) {
          end += 1;
        }
        const run = envelopes.slice(start, end);
        await runWithContext({ correlationId: first.correlationId }, () =>
          batchHandler
            ? batchHandler(
                run.map((envelope) => ({ payload: envelope.payload, envelope })),
                { manager, afterCommit: (work) => callbacks.push(work) },
              )
            : this.apply(manager, first, callbacks),
        );
        results.push(...run.map(() => 'handled' as const));
        start = end;
      }
      return { outcomes: results, afterCommit: callbacks };
    });
    for (const work of afterCommit) {
      try {
        await work();
      } catch (error) {
        this.logger.warn({ err: error }, 'after-commit work failed');
      }
    }
    return outcomes;
  }

  /**
   * Claims the events in the inbox in one statement and returns how many were new: a repeat
   * changes nothing. The usual batch holds no repeat, so one statement saves a round trip per
   * event; a batch that does is rolled back and handled one at a time, where each claim tells
   * its own repeat.
   */
  private async claim(manager: EntityManager, envelopes: Envelope[]): Promise<number> {
    const claim = await manager.query<{ affectedRows?: number }>(
      `INSERT IGNORE INTO inbox_message (consumer, message_id, event_type) VALUES ${envelopes
        .map(() => '(?, ?, ?)')
        .join(', ')}`,
      envelopes.flatMap((envelope) => [this.options.consumerName, envelope.eventId, envelope.type]),
    );
    return claim.affectedRows ?? 0;
  }

  /** Runs the handler of an event its transaction claimed. */
  private async apply(
    manager: EntityManager,
    envelope: Envelope,
    afterCommit: Array<() => Promise<void> | void>,
  ): Promise<void> {
    const handler = this.handlers.get(envelope.type);
    if (!handler) throw new InvalidMessage(`no handler for ${envelope.type}`);
    const { dropped = [], ...plain } = envelope;
    await handler(envelope.payload, {
      manager,
      envelope: plain,
      afterCommit: (work) => afterCommit.push(work),
      dropped,
    });
  }

  /** Moves a failed message to its next delay queue or to parking, then acks the original. */
  private async reroute(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    error: unknown,
  ): Promise<Outcome> {
    const headers = { ...(message.properties.headers ?? {}) } as Record<string, unknown>;
    const attempt = Number(headers[ATTEMPT_HEADER] ?? 1);
    const invalid = error instanceof InvalidMessage;
    // An unreachable database is not the message's fault: wait and try again without using up attempts.
    const infrastructure = !invalid && isConnectionError(error);
    const delays = this.options.retryDelaysMs;
    const park = invalid || (!infrastructure && attempt >= this.options.maxAttempts);
    const reason = error instanceof Error ? error.message : String(error);
    let target: string;
    if (park) {
      target = parkingQueueName(this.options.queue);
      headers[PARK_REASON_HEADER] = reason.slice(0, 500);
    } else {
      const delay = infrastructure
        ? delays[delays.length - 1]
        : delays[Math.min(attempt - 1, delays.length - 1)];
      target = retryQueueName(this.options.queue, delay ?? 1000);
      headers[ATTEMPT_HEADER] = infrastructure ? attempt : attempt + 1;
    }
    this.logger[park ? 'error' : 'warn'](
      { err: error, messageId: message.properties.messageId, attempt, target },
      park ? 'event parked' : 'event failed, will retry',
    );
    try {
      await new Promise<void>((resolve, reject) => {
        channel.sendToQueue(
          target,
          message.content,
          { ...message.properties, headers, persistent: true },
          (publishError: unknown) =>
            publishError
              ? reject(publishError instanceof Error ? publishError : new Error('publish refused'))
              : resolve(),
        );
      });
      this.settle(() => channel.ack(message));
    } catch (publishError) {
      // Not moved: leave it unacked so the broker redelivers it when the channel closes.
      this.logger.error(
        { err: publishError },
        'could not move a failed event; it will be redelivered',
      );
      if (!this.stopping) this.settle(() => channel.nack(message, false, true));
    }
    return invalid ? 'invalid' : park ? 'parked' : 'retried';
  }
}

function typeOf(message: ConsumeMessage): string {
  return String(message.properties.type ?? message.fields.routingKey);
}
