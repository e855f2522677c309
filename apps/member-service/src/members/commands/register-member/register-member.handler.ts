import { CommandHandler, EventBus } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { RegisterMemberResult } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { MemberRegisteredEvent } from '../../events/member-registered.event';
import { MemberRegistrar } from '../../member-registrar';
import { RegisterMemberCommand } from './register-member.command';

@CommandHandler(RegisterMemberCommand)
export class RegisterMemberHandler implements ICommandHandler<RegisterMemberCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registrar: MemberRegistrar,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ userId, profile }: RegisterMemberCommand): Promise<RegisterMemberResult> {
    const result = await withTransaction(this.dataSource, (manager) =>
      this.registrar.register(manager, userId, profile, 'api'),
    );
    if (result.created) {
      this.eventBus.publish(new MemberRegisteredEvent(result.member.id, userId, 'api'));
    }
    return result;
  }
}
