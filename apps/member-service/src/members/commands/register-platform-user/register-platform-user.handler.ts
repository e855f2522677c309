import { CommandHandler, EventBus } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { MemberRegisteredEvent } from '../../events/member-registered.event';
import { MemberRegistrar } from '../../member-registrar';
import { RegisterPlatformUserCommand } from './register-platform-user.command';

@CommandHandler(RegisterPlatformUserCommand)
export class RegisterPlatformUserHandler implements ICommandHandler<RegisterPlatformUserCommand> {
  constructor(
    private readonly registrar: MemberRegistrar,
    private readonly eventBus: EventBus,
  ) {}

  async execute(command: RegisterPlatformUserCommand): Promise<void> {
    const { manager, afterCommit, userId, profile } = command;
    const { created, member } = await this.registrar.register(manager, userId, profile, 'platform');
    if (created) {
      afterCommit(() => {
        this.eventBus.publish(new MemberRegisteredEvent(member.id, userId, 'platform'));
      });
    }
  }
}
