import { EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import type { EventType } from '@member-system/contracts';
import { createLogger } from '@member-system/shared/observability';
import type { ServiceDefinition } from '@member-system/shared/service';
import { loadEventServiceConfig } from './config/event-service.config';
import { eventDatabase } from './database/data-source';

/** The events event-service consumes. */
export const EVENT_SUBSCRIPTIONS: EventType[] = [
  'member.registered.v1',
  'member.level-changed.v1',
  'order.completed.v1',
  'benefit.level-benefits-changed.v1',
];

export function eventServiceDefinition(): ServiceDefinition {
  const config = loadEventServiceConfig();
  return {
    name: 'event-service',
    rpcQueue: RPC_QUEUES.event,
    eventQueue: EVENT_QUEUES.event,
    asks: ['member', 'benefit'],
    subscriptions: EVENT_SUBSCRIPTIONS,
    database: eventDatabase,
    config,
    logger: createLogger('event-service', config.LOG_LEVEL),
  };
}
