import { Query } from '@nestjs/cqrs';
import type { MemberView, Page, SearchMembersDto } from '@member-system/contracts';

/** `GET /admin/members`: members matching the filters, newest first, a page at a time. */
export class SearchMembersQuery extends Query<Page<MemberView>> {
  constructor(readonly filters: SearchMembersDto) {
    super();
  }
}
