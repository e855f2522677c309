import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { EventConsumer } from '@member-system/shared/messaging';
import { OpenAccountHandler } from './commands/open-account/open-account.handler';

@Injectable()
export class AccountsEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly openAccount: OpenAccountHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.on('member.registered.v1', async (payload, { manager }) => {
      await this.openAccount.executeIn(manager, payload.memberId, payload.userId);
    });
  }
}
