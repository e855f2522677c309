import { Query } from '@nestjs/cqrs';
import type { ExpiringLotView, Page } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

export class ListExpiringQuery extends Query<Page<ExpiringLotView>> {
  constructor(
    readonly subject: Subject,
    /** The window, from now. */
    readonly days: number,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
