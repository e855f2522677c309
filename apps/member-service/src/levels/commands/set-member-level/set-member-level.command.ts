import { Command } from '@nestjs/cqrs';
import type { Actor, MemberView } from '@member-system/contracts';

/** An admin sets a member's level by hand, with a reason. */
export class SetMemberLevelCommand extends Command<MemberView> {
  constructor(
    readonly memberId: string,
    readonly levelId: number,
    readonly reason: string,
    readonly admin: Actor,
  ) {
    super();
  }
}
