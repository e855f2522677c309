import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { EventConsumer } from '@member-system/shared/messaging';
import { RegisterMemberHandler } from './commands/register-member/register-member.handler';

/** Platform events that create or change members. */
@Injectable()
export class MembersEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly registerMember: RegisterMemberHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.on('user.registered.v1', async (payload, { manager }) => {
      const { userId, ...profile } = payload;
      await this.registerMember.registerIn(manager, userId, profile, 'platform');
    });
  }
}
