import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventConsumer } from '@member-system/shared/messaging';
import { RegisterPlatformUserCommand } from './commands/register-platform-user/register-platform-user.command';

/** Optional profile fields of `user.registered.v1` the member can be created without. */
const DROPPABLE_PROFILE_FIELDS = ['nickname', 'phone', 'email', 'birthday'] as const;

/**
 * Platform events that create or change members. A user whose optional profile field is invalid
 * (a bad phone) still becomes a member, without that field (reported); a bad `userId` parks.
 */
@Injectable()
export class MembersEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.consumer.on(
      'user.registered.v1',
      async (payload, { manager, afterCommit, envelope, dropped }) => {
        const { userId, ...profile } = payload;
        await this.commandBus.execute(
          new RegisterPlatformUserCommand(manager, afterCommit, userId, profile, {
            eventId: envelope.eventId,
            dropped,
          }),
        );
      },
      { droppable: DROPPABLE_PROFILE_FIELDS },
    );
  }
}
