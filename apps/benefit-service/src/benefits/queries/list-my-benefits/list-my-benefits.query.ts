import { Query } from '@nestjs/cqrs';
import type { BenefitView, ListQueryDto, Page } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

/** `GET /benefits/me` */
export class ListMyBenefitsQuery extends Query<Page<BenefitView>> {
  constructor(
    readonly subject: Subject,
    readonly page: ListQueryDto,
  ) {
    super();
  }
}
