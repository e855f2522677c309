import { ErrorCode, IdParam, isPlatformUserId } from '@member-system/contracts';
import type { Role, RpcCommand } from '@member-system/contracts';
import { AppException, ValidationFailedException, validateDto } from '@member-system/shared/errors';

/** Whom a command is about: the caller (a member), or any member for an admin or service. */
export type Subject = { userId: string } | { memberId: string };

/**
 * The subject of a command. A `memberId` in the data is honoured only for admins and services
 * (the gateway checks their permission); a member always means themselves. A service is known by
 * a name (`cart-service`), not a platform user id, so it always names the member.
 */
export function subjectOf(command: RpcCommand<unknown>): Subject {
  const data = (command.data ?? {}) as { memberId?: unknown };
  if (data.memberId === undefined) {
    if (!isPlatformUserId(command.actor.userId)) {
      throw new ValidationFailedException({
        memberId: ['memberId is required for a caller without a platform user id'],
      });
    }
    return { userId: command.actor.userId };
  }
  if (!command.actor.roles.some((role) => role === 'admin' || role === 'service')) {
    throw new AppException(ErrorCode.Forbidden, 'Only admins and services name another member');
  }
  if (typeof data.memberId !== 'string' || !/^[1-9]\d{0,19}$/.test(data.memberId)) {
    throw new ValidationFailedException({ memberId: ['must be a member id'] });
  }
  return { memberId: data.memberId };
}

/** A command's data as a plain record (what the gateway sent, validated again by the handler). */
export function dataOf(command: RpcCommand<unknown>): Record<string, unknown> {
  return (command.data ?? {}) as Record<string, unknown>;
}

/** An id from a command's data (decimal, 1–20 digits), or a 400. */
export async function idOf(raw: unknown): Promise<string> {
  return (await validateDto(IdParam, { id: raw })).id;
}

/** Services check the caller's role again: the gateway is not the only way onto the queue. */
export function requireRole(command: RpcCommand<unknown>, ...roles: Role[]): void {
  if (!command.actor.roles.some((role) => roles.includes(role))) {
    throw new AppException(ErrorCode.Forbidden, `Only ${roles.join(' or ')} callers may do this`);
  }
}
