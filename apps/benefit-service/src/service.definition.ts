import { EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import type { EventType } from '@member-system/contracts';
import { createLogger } from '@member-system/shared/observability';
import type { ServiceDefinition } from '@member-system/shared/service';
import { loadBenefitServiceConfig } from './config/benefit-service.config';
import { benefitDatabase } from './database/data-source';

/** The events benefit-service consumes. */
export const BENEFIT_SUBSCRIPTIONS: EventType[] = [
  'member.registered.v1',
  'member.level-changed.v1',
  'member.birthday.v1',
  'order.cancelled.v1',
  'campaign.reward-granted.v1',
];

export function benefitServiceDefinition(): ServiceDefinition {
  const config = loadBenefitServiceConfig();
  return {
    name: 'benefit-service',
    rpcQueue: RPC_QUEUES.benefit,
    eventQueue: EVENT_QUEUES.benefit,
    asks: ['member'],
    subscriptions: BENEFIT_SUBSCRIPTIONS,
    database: benefitDatabase,
    config,
    logger: createLogger('benefit-service', config.LOG_LEVEL),
  };
}
