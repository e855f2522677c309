import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { MemberBirthdayV1 } from '@member-system/contracts';

/** `member.birthday.v1`: the member's birthday gift, in the event's transaction. */
export class GrantBirthdayGiftCommand extends Command<void> {
  constructor(
    readonly manager: EntityManager,
    readonly birthday: MemberBirthdayV1,
  ) {
    super();
  }
}
