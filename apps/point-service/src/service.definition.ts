import { EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import { createLogger } from '@member-system/shared/observability';
import type { ServiceDefinition } from '@member-system/shared/service';
import { loadPointServiceConfig } from './config/point-service.config';
import { pointDatabase } from './database/data-source';

export function pointServiceDefinition(): ServiceDefinition {
  const config = loadPointServiceConfig();
  return {
    name: 'point-service',
    rpcQueue: RPC_QUEUES.point,
    eventQueue: EVENT_QUEUES.point,
    asks: ['member'],
    subscriptions: [
      'member.registered.v1',
      'member.order-credited.v1',
      'review.approved.v1',
      'order.cancelled.v1',
      'order.refund-requested.v1',
      'order.refunded.v1',
      'order.refund-rejected.v1',
      'benefit.birthday-gift-granted.v1',
      'benefit.level-benefits-changed.v1',
      'campaign.reward-granted.v1',
    ],
    database: pointDatabase,
    config,
    logger: createLogger('point-service', config.LOG_LEVEL),
  };
}
