import { Command } from '@nestjs/cqrs';
import type { RegisterMemberDto, RegisterMemberResult } from '@member-system/contracts';

/** `POST /members/register`: the caller becomes a member, in a transaction of its own. */
export class RegisterMemberCommand extends Command<RegisterMemberResult> {
  constructor(
    readonly userId: string,
    readonly profile: RegisterMemberDto,
  ) {
    super();
  }
}
