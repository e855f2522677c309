import { ErrorCode } from '@member-system/contracts';
import type { Actor, AdminPermission } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';

/** An admin named a member id that does not exist. */
export class MemberIdNotFoundException extends AppException {
  constructor(memberId: string) {
    super(ErrorCode.MemberNotFound, 'No member has this id', { memberId });
  }
}

/** An erased member's profile stays erased: it cannot be filled in again. */
export class MemberErasedException extends AppException {
  constructor(memberId: string) {
    super(ErrorCode.MemberErased, "The member's profile was erased and cannot be changed", {
      memberId,
    });
  }
}

/**
 * The gateway checks permissions before it calls; the service checks them again, so a command
 * that reaches the queue some other way cannot read PII or erase a member.
 */
export function assertAdminPermission(actor: Actor, permission: AdminPermission): void {
  if (actor.roles.includes('admin') && actor.perms.includes(permission)) return;
  throw new AppException(ErrorCode.Forbidden, `This needs the admin permission ${permission}`);
}
