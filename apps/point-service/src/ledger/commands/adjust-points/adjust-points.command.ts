import { Command } from '@nestjs/cqrs';
import type {
  Actor,
  AdjustPointsDto,
  PointApprovalView,
  PointsResult,
} from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

export class AdjustPointsCommand extends Command<PointsResult | PointApprovalView> {
  constructor(
    readonly subject: Subject,
    readonly adjustment: AdjustPointsDto,
    readonly admin: Actor,
    /** The request's Idempotency-Key, else its correlation id. */
    readonly requestKey: string,
  ) {
    super();
  }
}
