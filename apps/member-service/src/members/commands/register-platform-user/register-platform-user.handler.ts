import { CommandHandler, EventBus } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { MemberRegisteredEvent } from '../../events/member-registered.event';
import { PlatformFieldsDroppedEvent } from '../../events/platform-fields-dropped.event';
import { MemberRegistrar } from '../../member-registrar';
import { RegisterPlatformUserCommand } from './register-platform-user.command';

@CommandHandler(RegisterPlatformUserCommand)
export class RegisterPlatformUserHandler implements ICommandHandler<RegisterPlatformUserCommand> {
  constructor(
    private readonly registrar: MemberRegistrar,
    private readonly eventBus: EventBus,
  ) {}

  async execute(command: RegisterPlatformUserCommand): Promise<void> {
    const { manager, afterCommit, userId, profile, source } = command;
    const { created, member } = await this.registrar.register(manager, userId, profile, 'platform');
    if (created) {
      afterCommit(() => {
        this.eventBus.publish(new MemberRegisteredEvent(member.id, userId, 'platform'));
      });
    }
    if (source.dropped.length > 0) {
      // After commit: a retried or repeated event is reported once, by the attempt that counted.
      afterCommit(() => {
        this.eventBus.publish(
          new PlatformFieldsDroppedEvent(source.eventId, 'user.registered.v1', source.dropped),
        );
      });
    }
  }
}
