import type { INestApplicationContext } from '@nestjs/common';
import { EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import { AppMetrics } from '@member-system/shared/observability';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { startServiceContext, waitFor } from '@member-system/shared/testing';
import { MemberServiceConfig } from '../src/config/member-service.config';
import { memberDatabase } from '../src/database/data-source';
import { MEMBER_SERVICE_FEATURES } from '../src/features';

/** member-service as it runs, on the test's schema and vhost, with settings overridden. */
export function startMemberService(
  env: IntegrationEnv,
  settings: Partial<MemberServiceConfig> = {},
): Promise<INestApplicationContext> {
  return startServiceContext(
    env,
    {
      name: 'member-service',
      rpcQueue: RPC_QUEUES.member,
      eventQueue: EVENT_QUEUES.member,
      subscriptions: ['user.registered.v1', 'order.completed.v1', 'order.refunded.v1'],
      database: memberDatabase,
      config: Object.assign(new MemberServiceConfig(), settings),
    },
    MEMBER_SERVICE_FEATURES,
  );
}

/** How many deliveries the consumer has ended with this outcome (handled, duplicate, retried, …). */
export async function outcomeCount(app: INestApplicationContext, outcome: string): Promise<number> {
  const { values } = await app.get(AppMetrics).eventsConsumed.get();
  return values
    .filter((value) => value.labels['outcome'] === outcome)
    .reduce((sum, value) => sum + value.value, 0);
}

/**
 * Waits until `count` deliveries in all ended as handled or duplicate. Failed attempts that will
 * be retried do not count, so a retry still pending never makes the wait end early.
 */
export async function waitForDeliveries(
  app: INestApplicationContext,
  count: number,
): Promise<void> {
  await waitFor(
    async () =>
      (await outcomeCount(app, 'handled')) + (await outcomeCount(app, 'duplicate')) >= count,
    { timeoutMs: 20_000, what: `${count} settled deliveries` },
  );
}
