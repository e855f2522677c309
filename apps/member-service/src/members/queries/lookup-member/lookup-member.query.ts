import { Query } from '@nestjs/cqrs';
import type { MemberRef } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

/** A service's copy of the members lacks this one: the owner tells whether they exist. */
export class LookupMemberQuery extends Query<MemberRef> {
  constructor(readonly subject: Subject) {
    super();
  }
}
