import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import type { Subject } from '@member-system/shared/service';
import type { AccountRef } from './ledger';

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
