import { Query } from '@nestjs/cqrs';
import type { LedgerExportPage, LedgerExportPageQueryDto } from '@member-system/contracts';

export class LedgerExportPageQuery extends Query<LedgerExportPage> {
  constructor(readonly filters: LedgerExportPageQueryDto) {
    super();
  }
}
