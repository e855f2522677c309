import { ErrorCode } from '@member-system/contracts';
import type { RpcCommand } from '@member-system/contracts';
import { AppException, ValidationFailedException } from '@member-system/shared/errors';

/** Whom a command is about: the caller (a member), or any member for an admin or service. */
export type Subject = { userId: string } | { memberId: string };

/**
 * The subject of a command. A `memberId` in the data is honoured only for admins and services
 * (the gateway checks their permission); a member always means themselves.
 */
export function subjectOf(command: RpcCommand<unknown>): Subject {
  const data = (command.data ?? {}) as { memberId?: unknown };
  if (data.memberId === undefined) return { userId: command.actor.userId };
  if (!command.actor.roles.some((role) => role === 'admin' || role === 'service')) {
    throw new AppException(ErrorCode.Forbidden, 'Only admins and services name another member');
  }
  if (typeof data.memberId !== 'string' || !/^[1-9]\d{0,19}$/.test(data.memberId)) {
    throw new ValidationFailedException({ memberId: ['must be a member id'] });
  }
  return { memberId: data.memberId };
}
