import { Query } from '@nestjs/cqrs';
import type { MemberView } from '@member-system/contracts';

/** `GET /members/me`: the caller's own profile, masked. */
export class GetMemberQuery extends Query<MemberView> {
  constructor(readonly userId: string) {
    super();
  }
}
