import { Query } from '@nestjs/cqrs';
import type { BenefitView } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

/** `GET /benefits/me` */
export class ListMyBenefitsQuery extends Query<BenefitView[]> {
  constructor(readonly subject: Subject) {
    super();
  }
}
