import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';

export class MemberNotFoundException extends AppException {
  constructor(userId: string) {
    super(ErrorCode.MemberNotFound, 'The caller is not registered as a member', { userId });
  }
}
