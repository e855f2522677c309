import type { Actor, RpcCommand } from '@member-system/contracts';
import { currentCorrelationId } from '@member-system/shared/observability';

/** Wraps a request's data with who asked and the request's correlation id. */
export function commandOf<T>(actor: Actor, data: T, idempotencyKey?: string): RpcCommand<T> {
  const command: RpcCommand<T> = { data, actor, correlationId: currentCorrelationId() };
  if (idempotencyKey !== undefined) command.idempotencyKey = idempotencyKey;
  return command;
}
