import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { EventConsumer } from '@member-system/shared/messaging';
import { ProjectMemberLevelHandler } from './commands/project-member-level/project-member-level.handler';

@Injectable()
export class MemberLevelsEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly projectLevel: ProjectMemberLevelHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.on('member.registered.v1', (payload, { manager }) =>
      this.projectLevel.executeIn(manager, { ...payload, version: 1 }),
    );
  }
}
