import { parseDelays } from '@member-system/shared/config';
import {
  consumerQueueDeclarations,
  rpcQueueDeclaration,
  unroutedQueueDeclaration,
} from '@member-system/shared/messaging';
import type { QueueDeclaration } from '@member-system/shared/messaging';
import type { ServiceDefinition } from './service-definition';

/**
 * Every queue a service declares: the shared unrouted queue, its event queue with its delay and
 * parking queues, its RPC queue. What its migration moves, and what it checks before it starts.
 */
export function serviceQueueDeclarations(definition: ServiceDefinition): QueueDeclaration[] {
  return [
    unroutedQueueDeclaration(),
    ...consumerQueueDeclarations({
      queue: definition.eventQueue,
      types: definition.subscriptions,
      retryDelaysMs: parseDelays(definition.config.EVENT_RETRY_DELAYS_MS),
    }),
    rpcQueueDeclaration(definition.rpcQueue),
  ];
}
