import { Inject } from '@nestjs/common';
import { EventsHandler } from '@nestjs/cqrs';
import type { IEventHandler } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { AppMetrics } from '@member-system/shared/observability';
import { LOGGER } from '@member-system/shared/service';
import { PlatformFieldsDroppedEvent } from './events/platform-fields-dropped.event';

/**
 * Tells operators about fields left out of platform events: one warning per field naming the
 * event id, the field and the rule it broke (never the value: phones and emails are PII), and
 * `member_platform_event_fields_dropped_total{event,field}`.
 */
@EventsHandler(PlatformFieldsDroppedEvent)
export class PlatformFieldsDroppedReporter implements IEventHandler<PlatformFieldsDroppedEvent> {
  private readonly dropped: Counter<'event' | 'field'>;

  constructor(
    metrics: AppMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.dropped = new Counter({
      name: 'member_platform_event_fields_dropped_total',
      help: 'invalid optional fields left out of platform events (the event was handled without them)',
      labelNames: ['event', 'field'],
      registers: [metrics.registry],
    });
  }

  handle({ eventId, eventType, dropped }: PlatformFieldsDroppedEvent): void {
    for (const { field, reason } of dropped) {
      this.dropped.inc({ event: eventType, field });
      this.logger.warn(
        { eventId, eventType, field, reason },
        'an invalid optional field was left out of a platform event',
      );
    }
  }
}
