import { Query } from '@nestjs/cqrs';
import type { QuoteDto, QuoteView } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

/** `POST /benefits/quote`: what the member's benefits do to a cart. */
export class QuoteCartQuery extends Query<QuoteView> {
  constructor(
    readonly subject: Subject,
    readonly cart: QuoteDto,
  ) {
    super();
  }
}
