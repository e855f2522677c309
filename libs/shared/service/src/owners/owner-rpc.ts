import { currentCorrelationId } from '@member-system/shared/observability';
import type { RpcClient } from '@member-system/shared/messaging';
import type { ServiceName } from '@member-system/contracts';

/**
 * Asks the service that owns some data, over the same RPC queues the gateway uses, as a
 * `service` caller. Events keep each service's copies current; this is for the moment a copy
 * has not caught up (a member who registered a moment ago) or for a check only the owner can
 * answer (does this benefit exist?). The owner down costs a 503, as for the gateway.
 */
export class OwnerRpc {
  constructor(
    private readonly rpc: RpcClient,
    private readonly serviceName: string,
  ) {}

  ask<T>(owner: ServiceName, pattern: string, data: Record<string, unknown>): Promise<T> {
    return this.rpc.send<T>(owner, pattern, {
      data,
      actor: { userId: this.serviceName, roles: ['service'], perms: [] },
      correlationId: currentCorrelationId(),
    });
  }

  /** Opens the connections to these owners' queues ahead of the first question (best effort). */
  connect(owners: readonly ServiceName[]): Promise<void> {
    return this.rpc.connect(owners);
  }

  close(): Promise<void> {
    return this.rpc.close();
  }
}
