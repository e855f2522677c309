import { Query } from '@nestjs/cqrs';
import type { PriorityView } from '@member-system/contracts';

/** `GET /members/{memberId}/priority` */
export class GetPriorityQuery extends Query<PriorityView> {
  constructor(readonly memberId: string) {
    super();
  }
}
