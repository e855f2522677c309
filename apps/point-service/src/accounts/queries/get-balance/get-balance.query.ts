import { Query } from '@nestjs/cqrs';
import type { BalanceView } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

export class GetBalanceQuery extends Query<BalanceView> {
  constructor(readonly subject: Subject) {
    super();
  }
}
