import type { INestApplicationContext, Type } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EVENT_QUEUES, PAGE_LIMIT_MAX, RPC_QUEUES } from '@member-system/contracts';
import type {
  BenefitStatsQueryDto,
  BenefitsQueryDto,
  QuoteDto,
  SaveBenefitDto,
  UseBenefitDto,
} from '@member-system/contracts';
import { AppMetrics } from '@member-system/shared/observability';
import type { IntegrationEnv } from '@member-system/shared/testing';
import type { Subject } from '@member-system/shared/service';
import { CreateBenefitCommand } from '../src/benefits/commands/create-benefit/create-benefit.command';
import { RemoveBenefitCommand } from '../src/benefits/commands/remove-benefit/remove-benefit.command';
import { UseBenefitCommand } from '../src/benefits/commands/use-benefit/use-benefit.command';
import { CheckBenefitEligibilityQuery } from '../src/benefits/queries/check-benefit-eligibility/check-benefit-eligibility.query';
import { GetMyBenefitStatsQuery } from '../src/benefits/queries/get-my-benefit-stats/get-my-benefit-stats.query';
import { GetPriorityQuery } from '../src/benefits/queries/get-priority/get-priority.query';
import { ListBenefitsQuery } from '../src/benefits/queries/list-benefits/list-benefits.query';
import { ListMyBenefitsQuery } from '../src/benefits/queries/list-my-benefits/list-my-benefits.query';
import { QuoteCartQuery } from '../src/benefits/queries/quote-cart/quote-cart.query';
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

/** The service's use cases as its RPC controller runs them: through the command and query buses. */
export function benefitUseCases(app: INestApplicationContext) {
  const commands = app.get(CommandBus);
  const queries = app.get(QueryBus);
  return {
    /** The member's benefits: the first page, as long as any test needs. */
    available: async (subject: Subject) =>
      (await queries.execute(new ListMyBenefitsQuery(subject, { limit: PAGE_LIMIT_MAX }))).items,
    eligibility: (subject: Subject, benefitId: string, orderAmount?: string) =>
      queries.execute(new CheckBenefitEligibilityQuery(subject, benefitId, orderAmount)),
    quote: (subject: Subject, cart: QuoteDto) => queries.execute(new QuoteCartQuery(subject, cart)),
    use: (subject: Subject, use: UseBenefitDto) =>
      commands.execute(new UseBenefitCommand(subject, use)),
    memberStats: (subject: Subject, query: BenefitStatsQueryDto) =>
      queries.execute(new GetMyBenefitStatsQuery(subject, query)),
    priority: (memberId: string) => queries.execute(new GetPriorityQuery(memberId)),
    list: async (filter: BenefitsQueryDto) =>
      (await queries.execute(new ListBenefitsQuery({ limit: PAGE_LIMIT_MAX, ...filter }))).items,
    create: (definition: SaveBenefitDto) => commands.execute(new CreateBenefitCommand(definition)),
    remove: (benefitId: string) => commands.execute(new RemoveBenefitCommand(benefitId)),
  };
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
