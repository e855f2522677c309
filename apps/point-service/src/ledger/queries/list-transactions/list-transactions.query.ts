import { Query } from '@nestjs/cqrs';
import type { Page, PointTransactionView, TransactionsQueryDto } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

export class ListTransactionsQuery extends Query<Page<PointTransactionView>> {
  constructor(
    readonly subject: Subject,
    readonly filters: TransactionsQueryDto,
  ) {
    super();
  }
}
