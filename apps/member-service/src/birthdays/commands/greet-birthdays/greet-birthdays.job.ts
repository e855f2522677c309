import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { JobRegistry } from '@member-system/shared/service';
import type { Job } from '@member-system/shared/service';
import { GreetBirthdaysCommand } from './greet-birthdays.command';

/** Daily, just after midnight in the business time zone, and on demand. */
@Injectable()
export class GreetBirthdaysJob implements Job, OnModuleInit {
  readonly name = 'birthdays';
  readonly schedule = { dailyAt: '00:05' };

  constructor(
    private readonly registry: JobRegistry,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(asOf: Date): Promise<Record<string, unknown>> {
    return { ...(await this.commandBus.execute(new GreetBirthdaysCommand(asOf))) };
  }
}
