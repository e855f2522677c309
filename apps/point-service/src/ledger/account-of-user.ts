import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import type { AccountRef } from './ledger';

/**
 * The account of a platform user. Absent means member-service has not announced the member yet:
 * an event handler's failure then retries later; an API caller gets 404.
 */
export async function accountOfUser(manager: EntityManager, userId: string): Promise<AccountRef> {
  const [row] = await manager.query<Array<{ member_id: string }>>(
    'SELECT member_id FROM point_account WHERE user_id = ?',
    [userId],
  );
  if (!row) {
    throw new AppException(
      ErrorCode.PointAccountNotFound,
      'No points account: register as a member first',
      {
        userId,
      },
    );
  }
  return { memberId: row.member_id, userId };
}
