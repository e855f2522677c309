import { Command } from '@nestjs/cqrs';
import type { HoldView, ReserveHoldDto } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

export class ReserveHoldCommand extends Command<HoldView> {
  constructor(
    readonly subject: Subject,
    readonly request: ReserveHoldDto,
  ) {
    super();
  }
}
