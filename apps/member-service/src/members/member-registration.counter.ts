import { EventsHandler } from '@nestjs/cqrs';
import type { IEventHandler } from '@nestjs/cqrs';
import { Counter } from 'prom-client';
import { AppMetrics } from '@member-system/shared/observability';
import { MemberRegisteredEvent } from './events/member-registered.event';

/** `member_registration_total`: members created, whichever way they registered. */
@EventsHandler(MemberRegisteredEvent)
export class MemberRegistrationCounter implements IEventHandler<MemberRegisteredEvent> {
  private readonly registrations: Counter;

  constructor(metrics: AppMetrics) {
    this.registrations = new Counter({
      name: 'member_registration_total',
      help: 'members registered',
      registers: [metrics.registry],
    });
  }

  handle(): void {
    this.registrations.inc();
  }
}
