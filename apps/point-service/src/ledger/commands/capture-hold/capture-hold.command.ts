import { Command } from '@nestjs/cqrs';
import type { PointsResult } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

export class CaptureHoldCommand extends Command<PointsResult> {
  constructor(
    readonly subject: Subject,
    readonly holdId: string,
  ) {
    super();
  }
}
