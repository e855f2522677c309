import { Query } from '@nestjs/cqrs';
import type { ExpiringLotView } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

export class ListExpiringQuery extends Query<ExpiringLotView[]> {
  constructor(
    readonly subject: Subject,
    /** The window, from now. */
    readonly days: number,
  ) {
    super();
  }
}
