import type { INestApplicationContext } from '@nestjs/common';
import { EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { startServiceContext } from '@member-system/shared/testing';
import { PointServiceConfig } from '../src/config/point-service.config';
import { pointDatabase } from '../src/database/data-source';
import { POINT_SERVICE_FEATURES } from '../src/features';

/** point-service as it runs, on the test's schema and vhost, with settings overridden. */
export function startPointService(
  env: IntegrationEnv,
  settings: Partial<PointServiceConfig> = {},
): Promise<INestApplicationContext> {
  return startServiceContext(
    env,
    {
      name: 'point-service',
      rpcQueue: RPC_QUEUES.point,
      eventQueue: EVENT_QUEUES.point,
      subscriptions: [],
      database: pointDatabase,
      config: Object.assign(new PointServiceConfig(), settings),
    },
    POINT_SERVICE_FEATURES,
  );
}

/**
 * The `afterCommit` of an event command run in a test's own transaction: the cache drops it would
 * schedule are skipped, as the test reads balances from MySQL.
 */
export const skipAfterCommit = (): void => undefined;
