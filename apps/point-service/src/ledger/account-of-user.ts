import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { RpcCommand } from '@member-system/contracts';
import { AppException, ValidationFailedException } from '@member-system/shared/errors';
import type { AccountRef } from './ledger';

/** Whose points a command is about: the caller (a member), or any member for an admin or service. */
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

/**
 * The account of a platform user or member. Absent means member-service has not announced the
 * member yet: an event handler's failure then retries later; an API caller gets 404.
 */
export async function accountOf(manager: EntityManager, subject: Subject): Promise<AccountRef> {
  const [column, value] =
    'userId' in subject ? ['user_id', subject.userId] : ['member_id', subject.memberId];
  const [row] = await manager.query<Array<{ member_id: string; user_id: string }>>(
    `SELECT member_id, user_id FROM point_account WHERE ${column} = ?`,
    [value],
  );
  if (!row) {
    throw new AppException(
      ErrorCode.PointAccountNotFound,
      'No points account: register as a member first',
      {
        ...subject,
      },
    );
  }
  return { memberId: String(row.member_id), userId: String(row.user_id) };
}

export function accountOfUser(manager: EntityManager, userId: string): Promise<AccountRef> {
  return accountOf(manager, { userId });
}
