import { Command } from '@nestjs/cqrs';
import type { CheckInResult } from '@member-system/contracts';

export class CheckInCommand extends Command<CheckInResult> {
  constructor(readonly userId: string) {
    super();
  }
}
