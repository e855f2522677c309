import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { JobRegistry } from '@member-system/shared/service';
import type { Job } from '@member-system/shared/service';
import { CloseEndedCampaignsCommand } from './commands/close-ended-campaigns/close-ended-campaigns.command';

/** Every minute: published campaigns past their end close. */
@Injectable()
export class CloseCampaignsJob implements Job, OnModuleInit {
  readonly name = 'close-campaigns';
  readonly schedule = { everyMs: 60_000 };

  constructor(
    private readonly commandBus: CommandBus,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  run(asOf: Date): Promise<Record<string, unknown>> {
    return this.commandBus.execute(new CloseEndedCampaignsCommand(asOf));
  }
}
