import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventConsumer } from '@member-system/shared/messaging';
import { OpenAccountCommand } from './commands/open-account/open-account.command';

@Injectable()
export class AccountsEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.consumer.on('member.registered.v1', async (payload, { manager }) => {
      await this.commandBus.execute(
        new OpenAccountCommand(manager, payload.memberId, payload.userId),
      );
    });
  }
}
