import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';

/** `member.registered.v1`; the result says whether the account was opened just now. */
export class OpenAccountCommand extends Command<boolean> {
  constructor(
    /** The event's transaction: its inbox claim and the new account commit together. */
    readonly manager: EntityManager,
    readonly memberId: string,
    readonly userId: string,
  ) {
    super();
  }
}
