import { Command } from '@nestjs/cqrs';
import type { Actor, FreezePointsDto, FreezeResult } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

export class FreezePointsCommand extends Command<FreezeResult> {
  constructor(
    readonly subject: Subject,
    readonly request: FreezePointsDto,
    readonly admin: Actor,
    /** The request's Idempotency-Key, else its correlation id. */
    readonly requestKey: string,
  ) {
    super();
  }
}
