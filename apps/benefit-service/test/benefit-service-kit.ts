import type { INestApplicationContext, Type } from '@nestjs/common';
import { EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import { AppMetrics } from '@member-system/shared/observability';
import type { IntegrationEnv } from '@member-system/shared/testing';
import {
  envelopeOf,
  publishEvent,
  startServiceContext,
  waitFor,
} from '@member-system/shared/testing';
import { BenefitServiceConfig } from '../src/config/benefit-service.config';
import { benefitDatabase } from '../src/database/data-source';
import { BENEFIT_SERVICE_FEATURES } from '../src/features';
import { BENEFIT_SUBSCRIPTIONS } from '../src/service.definition';

/** benefit-service as it runs, on the test's schema and vhost, with extra modules and settings. */
export function startBenefitService(
  env: IntegrationEnv,
  extraModules: Type[] = [],
  settings: Partial<BenefitServiceConfig> = {},
): Promise<INestApplicationContext> {
  return startServiceContext(
    env,
    {
      name: 'benefit-service',
      rpcQueue: RPC_QUEUES.benefit,
      eventQueue: EVENT_QUEUES.benefit,
      subscriptions: BENEFIT_SUBSCRIPTIONS,
      database: benefitDatabase,
      config: Object.assign(new BenefitServiceConfig(), settings),
    },
    [...BENEFIT_SERVICE_FEATURES, ...extraModules],
  );
}

let nextId = 5_000_000 + (Date.now() % 1_000_000);

/** A fresh numeric id (members, users, orders, campaigns …). */
export const newId = (): string => String((nextId += 1));

export async function levelOf(env: IntegrationEnv, memberId: string): Promise<number | undefined> {
  const [row] = await env.dataSource.query<Array<{ level_id: number }>>(
    'SELECT level_id FROM member_level WHERE member_id = ?',
    [memberId],
  );
  return row ? Number(row.level_id) : undefined;
}

/** A member announced by member-service, moved to `levelId` by a level change. */
export async function memberAt(
  env: IntegrationEnv,
  levelId: number,
): Promise<{ memberId: string; userId: string }> {
  const member = { memberId: newId(), userId: newId() };
  await publishEvent(
    env.amqp,
    envelopeOf('member.registered.v1', {
      ...member,
      levelId: 1,
      registeredAt: new Date().toISOString(),
    }),
  );
  if (levelId !== 1) {
    await publishEvent(
      env.amqp,
      envelopeOf('member.level-changed.v1', {
        ...member,
        oldLevelId: 1,
        newLevelId: levelId,
        reason: 'spending',
        version: 2,
      }),
    );
  }
  await waitFor(async () => (await levelOf(env, member.memberId)) === levelId, {
    timeoutMs: 10_000,
    what: `member ${member.memberId} at level ${levelId}`,
  });
  return member;
}

/**
 * Deliveries the consumer has finished, as handled or as duplicates (counted after the event's
 * after-commit work, such as cache invalidations, has run).
 */
export async function settledDeliveries(app: INestApplicationContext): Promise<number> {
  const { values } = await app.get(AppMetrics).eventsConsumed.get();
  return values
    .filter((value) => ['handled', 'duplicate'].includes(String(value.labels['outcome'])))
    .reduce((sum, value) => sum + value.value, 0);
}
