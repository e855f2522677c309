import { Command } from '@nestjs/cqrs';
import type { HoldView } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

export class ReleaseHoldCommand extends Command<HoldView> {
  constructor(
    readonly subject: Subject,
    readonly holdId: string,
  ) {
    super();
  }
}
