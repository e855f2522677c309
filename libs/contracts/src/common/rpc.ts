import type { Actor } from './actor';

/** The body of every gateway → service request. */
export interface RpcCommand<T> {
  data: T;
  actor: Actor;
  correlationId: string;
  idempotencyKey?: string;
}

export interface RpcErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Services never throw across the wire: every reply is one of these two shapes. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: RpcErrorBody };

/** One durable request queue per service (docs/architecture.md, "Fleet"). */
export const RPC_QUEUES = {
  member: 'member.rpc',
  point: 'point.rpc',
  benefit: 'benefit.rpc',
  event: 'event.rpc',
} as const;
export type ServiceName = keyof typeof RPC_QUEUES;
