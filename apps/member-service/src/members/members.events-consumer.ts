import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventConsumer } from '@member-system/shared/messaging';
import { RegisterPlatformUserCommand } from './commands/register-platform-user/register-platform-user.command';

/** Platform events that create or change members. */
@Injectable()
export class MembersEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.consumer.on('user.registered.v1', async (payload, { manager, afterCommit }) => {
      const { userId, ...profile } = payload;
      await this.commandBus.execute(
        new RegisterPlatformUserCommand(manager, afterCommit, userId, profile),
      );
    });
  }
}
