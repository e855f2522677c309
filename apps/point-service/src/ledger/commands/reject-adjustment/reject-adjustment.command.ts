import { Command } from '@nestjs/cqrs';
import type { Actor, PointApprovalView } from '@member-system/contracts';

export class RejectAdjustmentCommand extends Command<PointApprovalView> {
  constructor(
    readonly id: string,
    readonly reviewer: Actor,
    readonly note?: string,
  ) {
    super();
  }
}
