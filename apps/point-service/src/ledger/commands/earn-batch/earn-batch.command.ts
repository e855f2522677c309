import { Command } from '@nestjs/cqrs';
import type { EarnBatchDto, EarnBatchResult } from '@member-system/contracts';

export class EarnBatchCommand extends Command<EarnBatchResult> {
  constructor(readonly batch: EarnBatchDto) {
    super();
  }
}
