import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { DroppedField, RegisterMemberDto } from '@member-system/contracts';
import type { AfterCommit } from '../../../database/unit-of-work';

/** `user.registered.v1`: the platform's new user becomes a member, in the event's transaction. */
export class RegisterPlatformUserCommand extends Command<void> {
  constructor(
    readonly manager: EntityManager,
    readonly afterCommit: AfterCommit,
    readonly userId: string,
    readonly profile: RegisterMemberDto,
    /** The event, and the invalid optional fields left out of `profile`. */
    readonly source: { eventId: string; dropped: readonly DroppedField[] },
  ) {
    super();
  }
}
