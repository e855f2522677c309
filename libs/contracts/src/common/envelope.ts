/** The JSON body of every message on the bus (docs/api/contract.md, "Events"). */
export interface EventEnvelope<P = unknown, T extends string = string> {
  eventId: string;
  type: T;
  occurredAt: string;
  correlationId: string;
  producer: string;
  payload: P;
}

export const EVENTS_EXCHANGE = 'member-system.events';
export const PLATFORM_EXCHANGE = 'platform.events';
/** Receives whatever no queue is bound for, so an unroutable event is kept, not dropped. */
export const UNROUTED_EXCHANGE = 'member-system.unrouted';
export const UNROUTED_QUEUE = 'member-system.unrouted';

/** Event queue of each consuming service. */
export const EVENT_QUEUES = {
  member: 'member.events',
  point: 'point.events',
  benefit: 'benefit.events',
  event: 'event.events',
} as const;
