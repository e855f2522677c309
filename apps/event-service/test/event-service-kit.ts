import type { INestApplicationContext } from '@nestjs/common';
import { EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { startServiceContext } from '@member-system/shared/testing';
import { EventServiceConfig } from '../src/config/event-service.config';
import { eventDatabase } from '../src/database/data-source';
import { EVENT_SERVICE_FEATURES } from '../src/features';
import { EVENT_SUBSCRIPTIONS } from '../src/service.definition';

/** event-service as it runs, on the test's schema and vhost, with settings overridden. */
export function startEventService(
  env: IntegrationEnv,
  settings: Partial<EventServiceConfig> = {},
): Promise<INestApplicationContext> {
  return startServiceContext(
    env,
    {
      name: 'event-service',
      rpcQueue: RPC_QUEUES.event,
      eventQueue: EVENT_QUEUES.event,
      subscriptions: EVENT_SUBSCRIPTIONS,
      database: eventDatabase,
      config: Object.assign(new EventServiceConfig(), settings),
    },
    EVENT_SERVICE_FEATURES,
  );
}
