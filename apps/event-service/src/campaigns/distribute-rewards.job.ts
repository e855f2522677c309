import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ADMIN_JOB_PERMISSIONS } from '@member-system/contracts';
import { AdminJobRegistry } from '@member-system/shared/service';
import type { AdminJobContext, AdminJobHandler } from '@member-system/shared/service';
import { DistributeRewardsCommand } from './commands/distribute-rewards/distribute-rewards.command';

/** Runs the `distribute-rewards` admin jobs: a campaign's rewards, batch by batch, with progress. */
@Injectable()
export class DistributeRewardsJob implements AdminJobHandler, OnModuleInit {
  readonly kind = 'distribute-rewards';
  readonly permission = ADMIN_JOB_PERMISSIONS['distribute-rewards'];

  constructor(
    private readonly commandBus: CommandBus,
    private readonly registry: AdminJobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(
    params: Record<string, unknown>,
    context: AdminJobContext,
  ): Promise<Record<string, unknown>> {
    return {
      ...(await this.commandBus.execute(
        new DistributeRewardsCommand(String(params['campaignId']), context),
      )),
    };
  }
}
