import { Command } from '@nestjs/cqrs';
import type { PointsResult, UsePointsDto } from '@member-system/contracts';

export class UsePointsCommand extends Command<PointsResult> {
  constructor(
    readonly userId: string,
    readonly use: UsePointsDto,
  ) {
    super();
  }
}
