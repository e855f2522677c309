import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { EventConsumer } from '@member-system/shared/messaging';
import { ProjectMemberLevelHandler } from './commands/project-member-level/project-member-level.handler';
import { MemberLevels } from './member-levels';

/** Keeps the projection of member levels: registration is version 1, each change a newer one. */
@Injectable()
export class MemberLevelsEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly projectLevel: ProjectMemberLevelHandler,
    private readonly levels: MemberLevels,
  ) {}

  onModuleInit(): void {
    this.consumer.on('member.registered.v1', (payload, { manager }) =>
      this.projectLevel.executeIn(manager, { ...payload, version: 1 }),
    );
    this.consumer.on('member.level-changed.v1', async (payload, { manager, afterCommit }) => {
      await this.projectLevel.executeIn(manager, {
        memberId: payload.memberId,
        userId: payload.userId,
        levelId: payload.newLevelId,
        version: payload.version,
      });
      afterCommit(() => this.levels.invalidate(payload.memberId));
    });
  }
}
