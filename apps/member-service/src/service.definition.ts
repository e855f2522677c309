import { EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import { createLogger } from '@member-system/shared/observability';
import type { ServiceDefinition } from '@member-system/shared/service';
import { loadMemberServiceConfig } from './config/member-service.config';
import { memberDatabase } from './database/data-source';

export function memberServiceDefinition(): ServiceDefinition {
  const config = loadMemberServiceConfig();
  return {
    name: 'member-service',
    rpcQueue: RPC_QUEUES.member,
    eventQueue: EVENT_QUEUES.member,
    subscriptions: ['user.registered.v1', 'order.completed.v1', 'order.refunded.v1'],
    database: memberDatabase,
    config,
    logger: createLogger('member-service', config.LOG_LEVEL),
  };
}
