import { Query } from '@nestjs/cqrs';
import type { MemberView } from '@member-system/contracts';

/** `GET /admin/members/{memberId}`: masked, or in clear once the gateway has audited the reveal. */
export class GetMemberForAdminQuery extends Query<MemberView> {
  constructor(
    readonly memberId: string,
    readonly reveal: boolean,
  ) {
    super();
  }
}
