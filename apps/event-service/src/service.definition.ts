import { EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import { createLogger } from '@member-system/shared/observability';
import type { ServiceDefinition } from '@member-system/shared/service';
import { loadEventServiceConfig } from './config/event-service.config';
import { eventDatabase } from './database/data-source';

export function eventServiceDefinition(): ServiceDefinition {
  const config = loadEventServiceConfig();
  return {
    name: 'event-service',
    rpcQueue: RPC_QUEUES.event,
    eventQueue: EVENT_QUEUES.event,
    subscriptions: [],
    database: eventDatabase,
    config,
    logger: createLogger('event-service', config.LOG_LEVEL),
  };
}
