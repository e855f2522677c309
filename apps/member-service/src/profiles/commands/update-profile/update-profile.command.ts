import { Command } from '@nestjs/cqrs';
import type { MemberView, UpdateProfileDto } from '@member-system/contracts';

/** `PATCH /members/me`: sets or clears any subset of the caller's profile. */
export class UpdateProfileCommand extends Command<MemberView> {
  constructor(
    readonly userId: string,
    readonly changes: UpdateProfileDto,
  ) {
    super();
  }
}
