import type { Actor, RpcCommand } from '@member-system/contracts';
import { correlationIdOf } from '../http/request-correlation';

/** Wraps a request's data with who asked and the request's correlation id. */
export function commandOf<T>(actor: Actor, data: T, idempotencyKey?: string): RpcCommand<T> {
  const command: RpcCommand<T> = { data, actor, correlationId: correlationIdOf(actor) };
  if (idempotencyKey !== undefined) command.idempotencyKey = idempotencyKey;
  return command;
}
