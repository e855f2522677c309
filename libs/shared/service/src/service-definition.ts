import type { EventType, ServiceName } from '@member-system/contracts';
import type { BaseServiceConfig } from '@member-system/shared/config';
import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import type { Logger } from 'pino';

/** What makes one service different from another; the rest of the plumbing is shared. */
export interface ServiceDefinition {
  /** Producer name on events and inbox consumer name, e.g. `point-service`. */
  name: string;
  rpcQueue: string;
  eventQueue: string;
  /** Event types the service consumes; its queue is bound to exactly these. */
  subscriptions: readonly EventType[];
  /**
   * The owners this service asks over RPC when its copies cannot tell (OwnerRpc): connected at
   * boot, so a first request does not spend its timeout opening the connection.
   */
  asks?: readonly ServiceName[];
  database: ServiceDataSourceSpec;
  config: BaseServiceConfig;
  logger: Logger;
}
